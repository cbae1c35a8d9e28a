package io.reliapi.testing;

import java.util.List;
import java.util.regex.Pattern;

/**
 * failoverbench's canonical answer: the sixty words every healthy completion of the {@link FaultWall} says,
 * so a stream cut after forty of them can never pass for a complete answer.
 */
public final class CanonicalAnswer {
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  public static final String TEXT = "A gateway earns trust only when the provider behind it misbehaves. "
      + "Rate limits arrive without warning, streams die halfway through a sentence, "
      + "servers answer with malformed bytes, and a healthy model returns to service "
      + "while the breaker is still open. This answer contains exactly sixty words so "
      + "that a truncated response can never be mistaken for a complete one again.";

  /** The benchmark's prompt. */
  public static final String PROMPT =
      "Explain in exactly sixty words why a gateway earns trust only when the provider behind it misbehaves.";

  public static final List<String> WORDS = words(TEXT);

  private CanonicalAnswer() {}

  /** Collapses runs of whitespace to one space and trims, as the benchmark compares answers. */
  public static String normalise(String text) {
    return text == null ? "" : WHITESPACE.matcher(text.strip()).replaceAll(" ");
  }

  /** Returns whether {@code text} is the canonical answer, whitespace aside. */
  public static boolean isComplete(String text) {
    return normalise(text).equals(normalise(TEXT));
  }

  /** The words of {@code text}, split on whitespace. */
  public static List<String> words(String text) {
    String normal = normalise(text);
    return normal.isEmpty() ? List.of() : List.of(normal.split(" "));
  }
}
