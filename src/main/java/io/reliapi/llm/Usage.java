package io.reliapi.llm;

/**
 * Tokens one completion consumed. {@code counted} is true when the provider did not report usage and the
 * gateway counted the tokens itself, so the figures are an approximation.
 */
public record Usage(long promptTokens, long completionTokens, boolean counted) {

  public static Usage reported(long promptTokens, long completionTokens) {
    return new Usage(promptTokens, completionTokens, false);
  }

  public long totalTokens() {
    return promptTokens + completionTokens;
  }
}
