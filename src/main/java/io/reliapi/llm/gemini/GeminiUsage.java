package io.reliapi.llm.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.llm.Usage;

/**
 * Reads Gemini's {@code usageMetadata}: the prompt is {@code promptTokenCount} (of which
 * {@code cachedContentTokenCount} came from the context cache) plus the tool-use prompt; the completion is
 * {@code candidatesTokenCount} plus {@code thoughtsTokenCount}, which Gemini reports apart and bills as output.
 * The audio parts are the {@code AUDIO} entries of the per-modality details ({@code promptTokensDetails},
 * {@code toolUsePromptTokensDetails}, {@code candidatesTokensDetails}), which Gemini bills at the model's audio prices.
 */
final class GeminiUsage {
  private GeminiUsage() {}

  /** Returns the usage, or null when the metadata holds no prompt count. */
  static Usage read(JsonNode metadata) {
    if (!metadata.path("promptTokenCount").canConvertToLong()) {
      return null;
    }
    // Sums that saturate over counts read as at least 0: a hostile provider's huge or negative counts cannot wrap
    // or cancel into a small charge.
    long thoughts = count(metadata, "thoughtsTokenCount");
    long prompt = Usage.saturatedAdd(count(metadata, "promptTokenCount"), count(metadata, "toolUsePromptTokenCount"));
    long completion = Usage.saturatedAdd(count(metadata, "candidatesTokenCount"), thoughts);
    long audioPrompt = Usage.saturatedAdd(audio(metadata.path("promptTokensDetails")),
        audio(metadata.path("toolUsePromptTokensDetails")));
    return Usage.reported(prompt, completion)
        .withCache(metadata.path("cachedContentTokenCount").asLong(0), 0)
        .withReasoning(thoughts)
        .withAudio(audioPrompt, audio(metadata.path("candidatesTokensDetails")));
  }

  /**
   * Returns whether the metadata states the answer's output: Gemini leaves out a count that is 0, and a compatible
   * server may leave {@code candidatesTokenCount} out altogether, so its absence is no proof that the answer cost
   * nothing.
   */
  static boolean statesOutput(JsonNode metadata) {
    return metadata.path("candidatesTokenCount").canConvertToLong();
  }

  private static long count(JsonNode metadata, String field) {
    return Math.max(0, metadata.path(field).asLong(0));
  }

  /**
   * Returns the tokens of the {@code AUDIO} entries of {@code details}, a list of {modality, tokenCount}: a sum that
   * saturates, so counts a hostile provider makes overflow cannot wrap to a small or negative audio count.
   */
  private static long audio(JsonNode details) {
    long tokens = 0;
    for (JsonNode detail : details) {
      if (detail.path("modality").asText("").equalsIgnoreCase("AUDIO")) {
        tokens = Usage.saturatedAdd(tokens, Math.max(0, detail.path("tokenCount").asLong(0)));
      }
    }
    return tokens;
  }
}
