package io.reliapi.http;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The rule for a request header the gateway acts on (a credential, an idempotency key, a target): its lines must
 * agree. Which of two different values a request meant would depend on the reader (the gateway read the first line;
 * a proxy in front may append its own, an upstream may read the last), so each reader refuses a disagreement in its
 * own words instead of choosing.
 */
public final class HeaderLines {
  private HeaderLines() {}

  /** Returns whether every line of {@code lines} has the same value once {@code canonical} has read it. */
  public static boolean agree(List<String> lines, UnaryOperator<String> canonical) {
    String first = null;
    for (String line : lines) {
      String value = canonical.apply(line);
      if (first == null) {
        first = value;
      } else if (!first.equals(value)) {
        return false;
      }
    }
    return true;
  }
}
