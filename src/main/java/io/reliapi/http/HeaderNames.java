package io.reliapi.http;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Sets of header names that match regardless of case, without lower-casing (and allocating) per lookup: an
 * open-addressing table keyed by a hash of the length and the first and last characters (ASCII case folded),
 * so most lookups of a name not in the set end at an empty slot without comparing any characters.
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

  /**
   * A hash of a name's length and its first and last characters, ASCII letters folded to lower case: equal for
   * names equal ignoring ASCII case, and cheap, since it reads two characters whatever the name's length.
   */
  static int foldedHash(String name) {
    int length = name.length();
    if (length == 0) {
      return 0;
    }
    int hash = (length * 31 + folded(name.charAt(0))) * 31 + folded(name.charAt(length - 1));
    return hash ^ (hash >>> 7);
  }

  private static int folded(char c) {
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
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
