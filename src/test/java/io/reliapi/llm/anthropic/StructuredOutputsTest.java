package io.reliapi.llm.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StructuredOutputsTest {
  @Test
  void theFourFiveGenerationAndLaterTakeThem() {
    for (String model : new String[] {"claude-sonnet-4-5-20250929", "claude-sonnet-4-5", "claude-haiku-4-5",
        "claude-opus-4-6", "claude-opus-5", "anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-opus-4-10",
        "claude-opus-4-10-20270101", "claude-sonnet-4.5", "claude-sonnet-4-5@20250929"}) {
      assertThat(StructuredOutputs.supported(model)).as(model).isTrue();
    }
  }

  @Test
  void olderOrUnreadableModelsDoNot() {
    for (String model : new String[] {"claude-sonnet-4-20250514", "claude-opus-4-1-20250805", "claude-opus-4-1",
        "claude-3-7-sonnet-20250219", "claude-3-5-haiku-latest", "my-proxy-model", ""}) {
      assertThat(StructuredOutputs.supported(model)).as(model).isFalse();
    }
  }
}
