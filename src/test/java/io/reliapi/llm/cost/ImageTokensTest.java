package io.reliapi.llm.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.LlmConfig.Provider;
import org.junit.jupiter.api.Test;

/** The most an image can be billed for, per provider and model family (docs/guides/budget-control.md). */
class ImageTokensTest {

  static int high(String model) {
    return ImageTokens.bound(Provider.OPENAI, model, false);
  }

  static int low(String model) {
    return ImageTokens.bound(Provider.OPENAI, model, true);
  }

  @Test
  void tilePricedOpenAiModelsCountEightTilesAtHighDetailAndTheirBaseAtLowDetail() {
    for (String model : new String[] {"gpt-4o", "gpt-4o-2024-08-06", "chatgpt-4o-latest", "gpt-4.1",
        "gpt-4.1-2025-04-14", "gpt-4.5-preview", "gpt-4-turbo", "gpt-4-vision-preview"}) {
      assertThat(high(model)).as(model).isEqualTo(85 + 8 * 170).isEqualTo(1445);
      assertThat(low(model)).as(model).isEqualTo(85);
    }
    assertThat(high("o1")).isEqualTo(75 + 8 * 150);
    assertThat(high("o3-2025-04-16")).isEqualTo(1275);
    assertThat(low("o1-pro")).isEqualTo(75);
    assertThat(high("computer-use-preview")).isEqualTo(65 + 8 * 129);
    assertThat(high("gpt-5")).isEqualTo(70 + 8 * 140);
    assertThat(high("gpt-5-chat-latest")).isEqualTo(1190);
    assertThat(low("gpt-5-2025-08-07")).isEqualTo(70);
  }

  @Test
  void gpt4oMiniCountsThirtyThreeTimesAsManyTokensPerImage() {
    assertThat(high("gpt-4o-mini")).isEqualTo(2833 + 8 * 5667).isEqualTo(48169);
    assertThat(high("gpt-4o-mini-2024-07-18")).isEqualTo(48169);
    assertThat(low("gpt-4o-mini")).isEqualTo(2833);
  }

  @Test
  void patchPricedModelsCountFifteenHundredThirtySixPatchesTimesTheirMultiplierWhateverTheDetail() {
    assertThat(high("gpt-4.1-mini")).isEqualTo(2489);
    assertThat(high("gpt-4.1-mini-2025-04-14")).isEqualTo(2489);
    assertThat(high("gpt-4.1-nano")).isEqualTo(3779);
    assertThat(high("o4-mini")).isEqualTo(2642);
    assertThat(high("gpt-5-mini")).isEqualTo(2489);
    assertThat(high("gpt-5-nano")).isEqualTo(3779);
    assertThat(low("gpt-4.1-mini")).isEqualTo(2489);
    assertThat(low("o4-mini-2025-04-16")).isEqualTo(2642);
  }

  @Test
  void anOpenAiModelOfNoKnownFamilyCountsTheLargestOpenAiBoundAtAnyDetail() {
    for (String model : new String[] {"gpt-5.2", "gpt-5.4-mini", "gpt-6", "o3-pro", "my-azure-deployment",
        "gpt-4o-audio-preview"}) {
      assertThat(high(model)).as(model).isEqualTo(48169);
      assertThat(low(model)).as(model).isEqualTo(48169);
    }
  }

  @Test
  void claudeUpToFourPointSixCountsItsStandardSizeAndLaterOrUnknownClaudeTheHighResolutionSize() {
    for (String model : new String[] {"claude-3-5-sonnet-20241022", "claude-3-7-sonnet-latest", "claude-opus-4",
        "claude-opus-4-20250514", "claude-opus-4-1-20250805", "claude-sonnet-4-5", "claude-haiku-4-5-20251001",
        "claude-opus-4-6", "claude-sonnet-4.6", "anthropic/claude-sonnet-4.5"}) {
      assertThat(ImageTokens.bound(Provider.ANTHROPIC, model, false)).as(model).isEqualTo(1640);
    }
    for (String model : new String[] {"claude-opus-4-7", "claude-opus-5", "claude-sonnet-5", "claude-haiku-4-10",
        "claude-next"}) {
      assertThat(ImageTokens.bound(Provider.ANTHROPIC, model, false)).as(model).isEqualTo(5001);
    }
    assertThat(ImageTokens.bound(Provider.ANTHROPIC, "claude-sonnet-4-5", true)).isEqualTo(1640);
    assertThat(ImageTokens.bound(Provider.ANTHROPIC, "my-claude-alias", false)).isEqualTo(5001);
  }

  @Test
  void geminiThreeCountsUltraHighResolutionAndEarlierGeminiSixteenTiles() {
    assertThat(ImageTokens.bound(Provider.GEMINI, "gemini-3-pro-preview", false)).isEqualTo(2240);
    assertThat(ImageTokens.bound(Provider.GEMINI, "gemini-3.1-flash", true)).isEqualTo(2240);
    assertThat(ImageTokens.bound(Provider.GEMINI, "gemini-2.5-flash", false)).isEqualTo(16 * 258);
    assertThat(ImageTokens.bound(Provider.GEMINI, "models/gemini-2.0-flash", false)).isEqualTo(4128);
    assertThat(ImageTokens.bound(Provider.GEMINI, "learnlm-2.0", false)).isEqualTo(4128);
  }

  @Test
  void aModelIsKnownByItsNameWhateverTheProviderServingIt() {
    assertThat(ImageTokens.bound(Provider.OPENAI, "anthropic/claude-sonnet-4-5", false)).isEqualTo(1640);
    assertThat(ImageTokens.bound(Provider.OPENAI, "gemini-2.5-pro", false)).isEqualTo(4128);
    assertThat(ImageTokens.bound(Provider.ANTHROPIC, "gpt-4o", false)).isEqualTo(1445);
    assertThat(ImageTokens.bound(Provider.OPENAI, "ft:gpt-4o-mini-2024-07-18:acme::abc123", false)).isEqualTo(48169);
    assertThat(ImageTokens.bound(Provider.OPENAI, "ft:gpt-4o:acme::abc123", true)).isEqualTo(85);
    assertThat(ImageTokens.bound(Provider.OPENAI, "GPT-4o", false)).isEqualTo(1445);
  }

  @Test
  void aModelOfAProviderWhoseRuleIsNotKnownOrOfNoKnownProviderCountsTheLargestBoundOfAll() {
    assertThat(ImageTokens.bound(Provider.MISTRAL, "pixtral-large-latest", false)).isEqualTo(48169);
    assertThat(ImageTokens.bound(null, "some-model", true)).isEqualTo(48169);
    assertThat(ImageTokens.bound(null, null, false)).isEqualTo(48169);
  }
}
