package io.reliapi.llm.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reliapi.llm.Usage;
import org.junit.jupiter.api.Test;

/** Gemini's usageMetadata as a hostile provider may write it. */
class GeminiUsageTest {
  /**
   * Per-modality counts whose sum overflows wrapped to a negative audio count, which the usage clamps to 0: a prompt
   * all audio was settled at the text price. Saturated, the audio is the whole prompt.
   */
  @Test
  void audioCountsWhoseSumOverflowsSaturateInsteadOfWrapping() throws Exception {
    long max = Long.MAX_VALUE;
    Usage usage = GeminiUsage.read(new ObjectMapper().readTree("""
        {"promptTokenCount": 1000, "candidatesTokenCount": 10,
         "promptTokensDetails": [{"modality": "AUDIO", "tokenCount": %1$d}, {"modality": "AUDIO", "tokenCount": %1$d}],
         "toolUsePromptTokensDetails": [{"modality": "AUDIO", "tokenCount": %1$d}],
         "candidatesTokensDetails": [{"modality": "AUDIO", "tokenCount": %1$d}, {"modality": "AUDIO", "tokenCount": 5}]}
        """.formatted(max)));

    assertThat(usage.audioPromptTokens()).isEqualTo(1000);
    assertThat(usage.audioCompletionTokens()).isEqualTo(10);
  }

  /** Counts that overflow or are negative no longer wrap or cancel a prompt into a small charge. */
  @Test
  void promptAndCompletionSumsSaturateAndIgnoreNegativeCounts() throws Exception {
    Usage usage = GeminiUsage.read(new ObjectMapper().readTree("""
        {"promptTokenCount": %1$d, "toolUsePromptTokenCount": %1$d, "candidatesTokenCount": 10,
         "thoughtsTokenCount": -5}
        """.formatted(Long.MAX_VALUE)));
    Usage cancelled = GeminiUsage.read(new ObjectMapper().readTree("""
        {"promptTokenCount": 1000, "toolUsePromptTokenCount": -900, "candidatesTokenCount": 10}"""));

    assertThat(usage.promptTokens()).isEqualTo(Long.MAX_VALUE);
    assertThat(usage.completionTokens()).isEqualTo(10);
    assertThat(cancelled.promptTokens()).isEqualTo(1000);
  }
}
