package io.reliapi.http;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Sets of header names that match regardless of case, without lower-casing (and allocating) per lookup: an
 * open-addressing table keyed by a hash that folds ASCII letters, so a lookup hashes the name once and
 * compares it with at most a few entries (a sorted set compared it with several, character by character).
 */
public final class HeaderNames {
  private HeaderNames() {}

  public static Set<String> of(String... names) {
    Set<String> distinct = new LinkedHashSet<>();
    for (String name : names) {
      distinct.add(name.toLowerCase(Locale.ROOT));
    }
    return new Table(distinct.toArray(String[]::new));
  }

  /** The hash of a name with ASCII letters folded to lower case; equal for names equal ignoring ASCII case. */
  static int foldedHash(String name) {
    int hash = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      hash = 31 * hash + (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    }
    return hash ^ (hash >>> 16);
  }

  private static boolean ascii(String name) {
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static final class Table extends AbstractSet<String> {
    private final String[] names;
    private final String[] slots;

    Table(String[] names) {
      this.names = names;
      this.slots = new String[Integer.highestOneBit(Math.max(1, names.length) * 4 - 1) << 1];
      for (String name : names) {
        int i = foldedHash(name) & (slots.length - 1);
        while (slots[i] != null) {
          i = (i + 1) & (slots.length - 1);
        }
        slots[i] = name;
      }
    }

    @Override
    public boolean contains(Object o) {
      if (!(o instanceof String name)) {
        return false;
      }
      for (int i = foldedHash(name) & (slots.length - 1); slots[i] != null; i = (i + 1) & (slots.length - 1)) {
        if (slots[i].equalsIgnoreCase(name)) {
          return true;
        }
      }
      // Beyond ASCII, Unicode case rules may still match a name the folded hash placed elsewhere.
      return !ascii(name) && Arrays.stream(names).anyMatch(name::equalsIgnoreCase);
    }

    @Override
    public Iterator<String> iterator() {
      return Arrays.asList(names).iterator();
    }

    @Override
    public int size() {
      return names.length;
    }
  }
}
