package io.reliapi.llm.anthropic;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which Claude models take structured outputs ({@code output_config.format}): the 4.5 generation and later
 * (Opus, Sonnet, Haiku 4.5, 4.6, …, 5 …). Older models refuse the field with a 400, which is final, so a request
 * that worked with the schema dropped would fail; a model id the gateway cannot read is treated as older.
 */
final class StructuredOutputs {
  /**
   * {@code claude-sonnet-4-5-20250929}, {@code claude-haiku-4-5}, {@code claude-opus-4-10}, {@code claude-opus-5},
   * {@code claude-sonnet-4.5}; a date is never read as the minor version.
   */
  private static final Pattern MODEL = Pattern.compile(
      "claude-(?:opus|sonnet|haiku)-(\\d{1,2})(?:[-.](\\d{1,2})(?!\\d))?");

  private StructuredOutputs() {}

  static boolean supported(String model) {
    Matcher m = MODEL.matcher(model);
    if (!m.find()) {
      return false;
    }
    int major = Integer.parseInt(m.group(1));
    int minor = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
    return major > 4 || major == 4 && minor >= 5;
  }
}
