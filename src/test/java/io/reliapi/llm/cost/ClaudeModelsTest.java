package io.reliapi.llm.cost;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClaudeModelsTest {
  @Test
  void aClaudeIdIsReadWithOrWithoutAVendorPrefix() {
    assertThat(ClaudeModels.named("claude-sonnet-4-5")).isTrue();
    assertThat(ClaudeModels.named("anthropic/claude-sonnet-4.5")).isTrue();
    assertThat(ClaudeModels.named("us.anthropic.claude-3-5-haiku-20241022-v1:0")).isTrue();
    assertThat(ClaudeModels.named("Anthropic/Claude-Opus-4")).isTrue();
  }

  @Test
  void otherModelsAreNot() {
    assertThat(ClaudeModels.named("gpt-4o")).isFalse();
    assertThat(ClaudeModels.named("openai/gpt-4o-mini")).isFalse();
    assertThat(ClaudeModels.named("claude")).isFalse();
    // the vendor prefix is not the model: a model named after it is not Claude
    assertThat(ClaudeModels.named("claude-proxy/gpt-4o")).isFalse();
  }
}
