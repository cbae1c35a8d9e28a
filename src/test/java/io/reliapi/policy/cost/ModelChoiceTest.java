package io.reliapi.policy.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.LlmConfig;
import io.reliapi.config.LlmConfig.ModelPrice;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ChatMessage;
import io.reliapi.llm.ChatRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelChoiceTest {
  static final LlmConfig OPENAI = llm(LlmConfig.Provider.OPENAI, "gpt-4o-mini", 1024, Map.of());
  static final LlmConfig CLAUDE = llm(LlmConfig.Provider.ANTHROPIC, "claude-haiku-4-5", 512,
      Map.of("claude-opus-4-5", new ModelPrice(5, 25)));

  static LlmConfig llm(LlmConfig.Provider provider, String model, int maxTokens, Map<String, ModelPrice> prices) {
    return new LlmConfig(provider, model, maxTokens, Optional.empty(), Optional.empty(), 16, Optional.empty(),
        prices, LlmConfig.DEFAULT_ANTHROPIC_VERSION);
  }

  static ChatRequest asking(String model, Integer maxTokens) {
    return new ChatRequest(Optional.ofNullable(model), "", List.of(ChatMessage.text("user", "Hi")),
        Optional.ofNullable(maxTokens), 0, Optional.empty(), Optional.empty(), List.of(), false,
        ChatJson.object(), ChatJson.object(), Optional.empty());
  }

  @Test
  void thePrimaryRunsTheRequestedModelElseItsDefault() {
    assertThat(ModelChoice.model(asking("gpt-4o", null), OPENAI, true)).isEqualTo("gpt-4o");
    assertThat(ModelChoice.model(asking(null, null), OPENAI, true)).isEqualTo("gpt-4o-mini");
  }

  @Test
  void aFallbackRunsItsOwnDefaultUnlessItServesTheRequestedModel() {
    assertThat(ModelChoice.model(asking("gpt-4o", null), CLAUDE, false)).isEqualTo("claude-haiku-4-5");
    assertThat(ModelChoice.model(asking(null, null), CLAUDE, false)).isEqualTo("claude-haiku-4-5");
    assertThat(ModelChoice.model(asking("claude-opus-4-5", null), CLAUDE, false)).isEqualTo("claude-opus-4-5");
    assertThat(ModelChoice.model(asking("claude-haiku-4-5", null), CLAUDE, false)).isEqualTo("claude-haiku-4-5");
  }

  @Test
  void servesOnlyItsDefaultModelAndTheModelsItPrices() {
    assertThat(ModelChoice.serves(CLAUDE, "claude-haiku-4-5")).isTrue();
    assertThat(ModelChoice.serves(CLAUDE, "claude-opus-4-5")).isTrue();
    // A built-in price alone does not make a target serve a model.
    assertThat(ModelChoice.serves(CLAUDE, "claude-3-haiku-20240307")).isFalse();
  }

  @Test
  void capsMaxTokensByEachTargetsLimitWhichIsAlsoTheDefault() {
    assertThat(ModelChoice.maxTokens(asking(null, 5000), OPENAI)).isEqualTo(1024);
    assertThat(ModelChoice.maxTokens(asking(null, 5000), CLAUDE)).isEqualTo(512);
    assertThat(ModelChoice.maxTokens(asking(null, 100), CLAUDE)).isEqualTo(100);
    assertThat(ModelChoice.maxTokens(asking(null, null), OPENAI)).isEqualTo(1024);
  }
}
