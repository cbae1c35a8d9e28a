package io.reliapi.http;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/** Sets of header names that match regardless of case, without lower-casing (and allocating) per lookup. */
public final class HeaderNames {
  private HeaderNames() {}

  public static Set<String> of(String... names) {
    TreeSet<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    Collections.addAll(set, names);
    return Collections.unmodifiableSet(set);
  }
}
