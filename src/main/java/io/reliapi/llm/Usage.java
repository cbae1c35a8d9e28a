package io.reliapi.llm;

/**
 * Tokens one completion consumed. {@code counted} is true when the provider did not report usage and the
 * gateway counted the tokens itself, so the figures are an approximation.
 *
 * <p>The details are parts of the two totals, as OpenAI reports them: {@code cacheReadTokens} (prompt tokens
 * read from the provider's prompt cache: OpenAI's {@code cached_tokens}, Anthropic's
 * {@code cache_read_input_tokens}, Gemini's {@code cachedContentTokenCount}) and {@code cacheWriteTokens}
 * (prompt tokens written to it: Anthropic's {@code cache_creation_input_tokens}) are included in
 * {@code promptTokens}; {@code reasoningTokens} (OpenAI's {@code reasoning_tokens}, Gemini's
 * {@code thoughtsTokenCount}) are included in {@code completionTokens}. Each is priced at its own price where
 * the price table has one.
 *
 * <p>{@code hourCacheWriteTokens} are the part of {@code cacheWriteTokens} written to be kept for an hour
 * (Anthropic's {@code cache_creation.ephemeral_1h_input_tokens}), billed dearer than the default five minutes.
 *
 * <p>{@code webSearches} are searches the provider ran on its side and bills per use on top of the tokens
 * (Anthropic's {@code usage.server_tool_use.web_search_requests}); see {@code Costs.usd(Usage, ModelPrice)}.
 *
 * <p>{@code audioPromptTokens} and {@code audioCompletionTokens} are the audio parts of the two totals (OpenAI's
 * {@code prompt_tokens_details.audio_tokens} and {@code completion_tokens_details.audio_tokens}, Gemini's
 * {@code AUDIO} entries of its per-modality details), billed at the model's audio prices.
 */
public record Usage(long promptTokens, long completionTokens, boolean counted, long cacheReadTokens,
    long cacheWriteTokens, long reasoningTokens, long webSearches, long hourCacheWriteTokens,
    long audioPromptTokens, long audioCompletionTokens) {

  public Usage {
    // A provider's details never exceed the totals they are part of; clamping keeps every priced part >= 0.
    cacheReadTokens = clamp(cacheReadTokens, promptTokens);
    cacheWriteTokens = clamp(cacheWriteTokens, promptTokens - cacheReadTokens);
    reasoningTokens = clamp(reasoningTokens, completionTokens);
    webSearches = Math.max(0, webSearches);
    hourCacheWriteTokens = clamp(hourCacheWriteTokens, cacheWriteTokens);
    audioPromptTokens = clamp(audioPromptTokens, promptTokens);
    audioCompletionTokens = clamp(audioCompletionTokens, completionTokens);
  }

  /** Usage without audio tokens. */
  public Usage(long promptTokens, long completionTokens, boolean counted, long cacheReadTokens,
      long cacheWriteTokens, long reasoningTokens, long webSearches, long hourCacheWriteTokens) {
    this(promptTokens, completionTokens, counted, cacheReadTokens, cacheWriteTokens, reasoningTokens, webSearches,
        hourCacheWriteTokens, 0, 0);
  }

  /** Usage whose cache writes, if any, are all kept for the provider's default time. */
  public Usage(long promptTokens, long completionTokens, boolean counted, long cacheReadTokens,
      long cacheWriteTokens, long reasoningTokens, long webSearches) {
    this(promptTokens, completionTokens, counted, cacheReadTokens, cacheWriteTokens, reasoningTokens, webSearches, 0);
  }

  /** Usage billed in tokens only: no server tool use. */
  public Usage(long promptTokens, long completionTokens, boolean counted, long cacheReadTokens,
      long cacheWriteTokens, long reasoningTokens) {
    this(promptTokens, completionTokens, counted, cacheReadTokens, cacheWriteTokens, reasoningTokens, 0);
  }

  /** Usage without details: every prompt token at the input price, every completion token at the output price. */
  public Usage(long promptTokens, long completionTokens, boolean counted) {
    this(promptTokens, completionTokens, counted, 0, 0, 0);
  }

  public static Usage reported(long promptTokens, long completionTokens) {
    return new Usage(promptTokens, completionTokens, false);
  }

  /** Returns this usage with its prompt details ({@code cacheRead}, {@code cacheWrite}: parts of the prompt). */
  public Usage withCache(long cacheRead, long cacheWrite) {
    return new Usage(promptTokens, completionTokens, counted, cacheRead, cacheWrite, reasoningTokens, webSearches,
        hourCacheWriteTokens, audioPromptTokens, audioCompletionTokens);
  }

  /** Returns this usage with {@code hourWrites} of its cache writes kept for an hour (Anthropic's dearer writes). */
  public Usage withHourCacheWrites(long hourWrites) {
    return new Usage(promptTokens, completionTokens, counted, cacheReadTokens, cacheWriteTokens, reasoningTokens,
        webSearches, hourWrites, audioPromptTokens, audioCompletionTokens);
  }

  /** Returns this usage with {@code reasoning} of its completion tokens spent on reasoning. */
  public Usage withReasoning(long reasoning) {
    return new Usage(promptTokens, completionTokens, counted, cacheReadTokens, cacheWriteTokens, reasoning,
        webSearches, hourCacheWriteTokens, audioPromptTokens, audioCompletionTokens);
  }

  /** Returns this usage with another completion count; details that no longer fit are clamped. */
  public Usage withCompletionTokens(long completion, boolean counted) {
    return new Usage(promptTokens, completion, counted, cacheReadTokens, cacheWriteTokens, reasoningTokens,
        webSearches, hourCacheWriteTokens, audioPromptTokens, audioCompletionTokens);
  }

  /** Returns this usage with a prompt count the gateway counted; details that no longer fit are clamped. */
  public Usage withPromptTokens(long prompt) {
    return new Usage(prompt, completionTokens, true, cacheReadTokens, cacheWriteTokens, reasoningTokens,
        webSearches, hourCacheWriteTokens, audioPromptTokens, audioCompletionTokens);
  }

  /** Returns this usage with {@code searches} web searches run by the provider (billed per use). */
  public Usage withWebSearches(long searches) {
    return new Usage(promptTokens, completionTokens, counted, cacheReadTokens, cacheWriteTokens, reasoningTokens,
        searches, hourCacheWriteTokens, audioPromptTokens, audioCompletionTokens);
  }

  /** Returns this usage with {@code prompt} of its prompt and {@code completion} of its completion tokens audio. */
  public Usage withAudio(long prompt, long completion) {
    return new Usage(promptTokens, completionTokens, counted, cacheReadTokens, cacheWriteTokens, reasoningTokens,
        webSearches, hourCacheWriteTokens, prompt, completion);
  }

  /**
   * Returns the text part of this usage: its totals without the audio tokens, each detail clamped to what is left.
   * A cache read or write that no longer fits was of audio, which the audio price settles at its dearest.
   */
  public Usage text() {
    return new Usage(promptTokens - audioPromptTokens, completionTokens - audioCompletionTokens, counted,
        cacheReadTokens, cacheWriteTokens, reasoningTokens, webSearches, hourCacheWriteTokens);
  }

  /** Returns the usage of two calls together (a stream and its continuation): counted if either was. */
  public Usage plus(Usage other) {
    return new Usage(promptTokens + other.promptTokens, completionTokens + other.completionTokens,
        counted || other.counted, cacheReadTokens + other.cacheReadTokens, cacheWriteTokens + other.cacheWriteTokens,
        reasoningTokens + other.reasoningTokens, webSearches + other.webSearches,
        hourCacheWriteTokens + other.hourCacheWriteTokens, audioPromptTokens + other.audioPromptTokens,
        audioCompletionTokens + other.audioCompletionTokens);
  }

  /** Returns the prompt tokens neither read from nor written to a cache: those priced at the input price. */
  public long uncachedPromptTokens() {
    return promptTokens - cacheReadTokens - cacheWriteTokens;
  }

  public long totalTokens() {
    return promptTokens + completionTokens;
  }

  /** Returns {@code a + b} of two counts of at least 0, or {@link Long#MAX_VALUE} where that overflows. */
  public static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  private static long clamp(long part, long whole) {
    return Math.max(0, Math.min(part, Math.max(0, whole)));
  }
}
