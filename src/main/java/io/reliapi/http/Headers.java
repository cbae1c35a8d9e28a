package io.reliapi.http;

import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * An immutable list of header fields in arrival order. Values are kept as they came, and so are names on
 * the wire; every rule about names sees them case-insensitively (RFC 9110 §5.1): lookups ignore case, and
 * a predicate that chooses fields by name is always asked about the lower-case name, so
 * {@code name.startsWith("x-ratelimit-")} matches {@code X-RateLimit-Remaining} too. Small by design: a
 * request has a handful of headers, so lookups scan.
 */
public final class Headers {
  /** Room for the header fields most requests and answers have; more grow the array. */
  private static final int TYPICAL_FIELDS = 12;

  private static final Headers EMPTY = new Headers(new String[0]);
  private final String[] pairs;

  private Headers(String[] pairs) {
    this.pairs = pairs;
  }

  public static Headers empty() {
    return EMPTY;
  }

  public static Headers of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values must pair up");
    }
    return new Headers(namesAndValues.clone());
  }

  public static Headers from(MultiMap map) {
    // Not map.size(): Vert.x's header maps count their distinct names by building a set of them.
    Collector collector = new Collector(TYPICAL_FIELDS * 2);
    map.forEach(collector);
    return new Headers(collector.pairs());
  }

  /** Gathers name/value pairs from a header map without one entry object per field. */
  private static final class Collector implements BiConsumer<String, String> {
    private String[] out;
    private int size;

    Collector(int capacity) {
      out = new String[capacity];
    }

    @Override
    public void accept(String name, String value) {
      if (size == out.length) {
        out = Arrays.copyOf(out, out.length * 2);
      }
      out[size++] = name;
      out[size++] = value;
    }

    String[] pairs() {
      return size == out.length ? out : Arrays.copyOf(out, size);
    }
  }

  public int size() {
    return pairs.length / 2;
  }

  /** Returns the name of the {@code i}-th field, as received. */
  public String name(int i) {
    return pairs[2 * i];
  }

  /** Returns the value of the {@code i}-th field. */
  public String value(int i) {
    return pairs[2 * i + 1];
  }

  /** Returns the first value of {@code name}, or null. */
  public String get(String name) {
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i].equalsIgnoreCase(name)) {
        return pairs[i + 1];
      }
    }
    return null;
  }

  /** Returns the values of every {@code name} line, in order; an unmodifiable empty list (no allocation) for none. */
  public List<String> all(String name) {
    List<String> out = null;
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i].equalsIgnoreCase(name)) {
        out = out == null ? new ArrayList<>(1) : out;
        out.add(pairs[i + 1]);
      }
    }
    return out == null ? List.of() : out;
  }

  /** Returns the values of every {@code name} line joined with ", " (one field value, RFC 9110 §5.3), or null for none. */
  public String joined(String name) {
    List<String> values = all(name);
    return values.isEmpty() ? null : String.join(", ", values);
  }

  public boolean contains(String name) {
    return get(name) != null;
  }

  public void forEach(BiConsumer<String, String> action) {
    for (int i = 0; i < pairs.length; i += 2) {
      action.accept(pairs[i], pairs[i + 1]);
    }
  }

  /** Returns a copy without the fields for whose lower-case name {@code drop} is true. */
  public Headers without(Predicate<String> drop) {
    return withoutNames(name -> drop.test(lowerCase(name)));
  }

  /**
   * Returns a copy without the fields for whose name as written {@code dropAnyCase} is true: a test that
   * matches regardless of case (a {@link HeaderNames} set), so no name is lower-cased for it.
   */
  public Headers withoutNames(Predicate<String> dropAnyCase) {
    String[] out = new String[pairs.length];
    int n = 0;
    for (int i = 0; i < pairs.length; i += 2) {
      if (!dropAnyCase.test(pairs[i])) {
        out[n++] = pairs[i];
        out[n++] = pairs[i + 1];
      }
    }
    return n == pairs.length ? this : new Headers(Arrays.copyOf(out, n));
  }

  /** Returns a copy with only the fields for whose lower-case name {@code keep} is true. */
  public Headers only(Predicate<String> keep) {
    return without(keep.negate());
  }

  /** Returns a copy where {@code name} has exactly the one value {@code value}. */
  public Headers with(String name, String value) {
    Headers rest = withoutNames(n -> n.equalsIgnoreCase(name));
    String[] out = Arrays.copyOf(rest.pairs, rest.pairs.length + 2);
    out[rest.pairs.length] = name;
    out[rest.pairs.length + 1] = value;
    return new Headers(out);
  }

  /** Copies every field into a Vert.x header map. */
  public void copyTo(MultiMap target) {
    for (int i = 0; i < pairs.length; i += 2) {
      target.add(pairs[i], pairs[i + 1]);
    }
  }

  /** Returns lower-cased names mapped to their values, repeated fields joined with ", ". */
  public Map<String, String> toLowerCaseMap() {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      out.merge(lowerCase(pairs[i]), pairs[i + 1], (a, b) -> a + ", " + b);
    }
    return out;
  }

  /** Returns the name in lower case; a name that already is (HTTP/2 ones always are) is not copied. */
  private static String lowerCase(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return "Headers" + toLowerCaseMap().keySet();
  }
}
