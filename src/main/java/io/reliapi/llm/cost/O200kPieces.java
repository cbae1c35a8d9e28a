package io.reliapi.llm.cost;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * o200k_base's pre-tokenisation: tiktoken's pattern as jtokkit 1.1.0 writes it for Java
 * ({@code EncodingFactory.o200kBase}), compiled with the same flag, so both cut a text identically.
 */
final class O200kPieces implements Pieces {
  static final Pattern PATTERN = Pattern.compile(String.join("|",
      "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
      "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
      "\\p{N}{1,3}",
      " ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*",
      "\\s*[\\r\\n]+",
      "\\s+(?!\\S)",
      "\\s+"), Pattern.UNICODE_CHARACTER_CLASS);

  @Override
  public void split(String text, Sink sink) {
    for (Matcher matcher = PATTERN.matcher(text); matcher.find(); ) {
      sink.piece(text, matcher.start(), matcher.end());
    }
  }
}
