package io.reliapi.llm.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.ConfigLoader;
import io.reliapi.config.GatewayConfig;
import io.reliapi.config.LlmConfig;
import io.reliapi.config.LlmConfig.ModelPrice;
import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PriceTableTest {
  static final Optional<Double> none = Optional.empty();
  static final GatewayConfig CONFIG = ConfigLoader.parse("""
      targets:
        openai:
          base_url: https://api.openai.com/v1
          llm:
            provider: openai
            default_model: gpt-4o-mini
            prices:
              gpt-4o-mini: {input_per_1m: 0.1, output_per_1m: 0.4}
              my-finetune: {input_per_1m: 0.3, output_per_1m: 1.2}
        azure:
          base_url: https://azure.example/v1
          llm: {provider: openai, default_model: gpt-4o-mini}
      """, name -> null);
  final PriceTable table = PriceTable.of(CONFIG);

  @Test
  void recordsWhereTheBuiltInPricesCameFromAndWhen() {
    BuiltInPrices builtIn = BuiltInPrices.table();
    assertThat(builtIn.source()).isEqualTo("BerriAI/litellm model_prices_and_context_window.json");
    assertThat(builtIn.sourceCommit()).isEqualTo("00035b69f416be24e2e323c13198d9b7d2d1bdf9");
    assertThat(builtIn.extracted()).isEqualTo("2026-11-27");
  }

  @Test
  void shipsCurrentModelsOfTheSupportedProvidersOnly() {
    var models = BuiltInPrices.table().models();
    assertThat(models.get("gpt-4o-mini"))
        .isEqualTo(new ModelPrice(0.15, 0.6, Optional.of(0.075), none, none, Optional.of(128_000L)));
    assertThat(models.get("gpt-4o")).isEqualTo(new ModelPrice(2.5, 10.0, Optional.of(1.25), none, none,
        Optional.of(128_000L)));
    assertThat(models.get("claude-haiku-4-5"))
        .isEqualTo(new ModelPrice(1.0, 5.0, Optional.of(0.1), Optional.of(1.25), none, Optional.of(200_000L)));
    assertThat(models.get("claude-opus-4-5"))
        .isEqualTo(new ModelPrice(5.0, 25.0, Optional.of(0.5), Optional.of(6.25), none, Optional.of(200_000L)));
    assertThat(models.get("mistral-small-latest").inputPer1m()).isEqualTo(0.06);
    assertThat(models.get("mistral-large-latest").outputPer1m()).isEqualTo(1.5);
    assertThat(models.get("gemini-2.5-flash")).isEqualTo(new ModelPrice(0.3, 2.5, Optional.of(0.03), none, none,
        Optional.of(1_048_576L), Optional.of(1.0), none));
    assertThat(models.get("text-embedding-3-small").inputPer1m()).isEqualTo(0.02);
    assertThat(models.get("mistral-embed").outputPer1m()).isZero();
    assertThat(models.keySet()).noneMatch(m -> m.startsWith("grok") || m.startsWith("deepseek"));
  }

  @Test
  void openAisAudioModelsHaveTheSourcesAudioPricesAndTextModelsNone() {
    Map<String, ModelPrice> models = BuiltInPrices.table().models();
    assertThat(models.get("gpt-4o-audio-preview").inputAudioPer1m()).contains(40.0);
    assertThat(models.get("gpt-4o-audio-preview").outputAudioPer1m()).contains(80.0);
    assertThat(models.get("gpt-audio").inputAudioPer1m()).contains(32.0);
    assertThat(models.get("gpt-audio").outputAudioPer1m()).contains(64.0);
    assertThat(models.get("gpt-audio-mini-2025-12-15").outputAudioPer1m()).contains(20.0);
    assertThat(models.get("gpt-4o-mini-audio-preview").inputAudioPer1m()).contains(10.0);
    assertThat(models.values().stream().filter(p -> p.inputAudioPer1m().isPresent())).hasSize(11 + 19);
    assertThat(models.get("gpt-4o").inputAudioPer1m()).isEmpty();
  }

  @Test
  void geminiModelsHaveTheSourcesAudioInputPricesWhereItGivesThemAndNoAudioOutputPrice() {
    Map<String, ModelPrice> models = BuiltInPrices.table().models();
    assertThat(models.get("gemini-2.5-flash").inputAudioPer1m()).contains(1.0);
    assertThat(models.get("gemini-2.5-flash-lite").inputAudioPer1m()).contains(0.3);
    assertThat(models.get("gemini-2.0-flash").inputAudioPer1m()).contains(0.7);
    assertThat(models.get("gemini-2.0-flash-lite").inputAudioPer1m()).contains(0.075);
    assertThat(models.get("gemini-3-flash-preview").inputAudioPer1m()).contains(1.0);
    assertThat(models.get("gemini-3.1-flash-lite").inputAudioPer1m()).contains(0.5);
    // The source gives these no audio token price: audio stays refused under caps and budgets.
    assertThat(models.get("gemini-2.5-pro").inputAudioPer1m()).isEmpty();
    assertThat(models.get("gemini-3-pro-preview").inputAudioPer1m()).isEmpty();
    assertThat(models.get("gemini-3.1-pro-preview").inputAudioPer1m()).isEmpty();
    assertThat(models.entrySet().stream()
        .filter(e -> e.getKey().startsWith("gemini") && e.getValue().outputAudioPer1m().isPresent())).isEmpty();
  }

  @Test
  void geminiRowsAreTheSourcesGeminiApiEntriesNotVertexAisNorAnotherModels() {
    Map<String, ModelPrice> models = BuiltInPrices.table().models();
    // Audited 2026-12-07 against gemini/gemini-flash-latest and gemini/gemini-exp-1206: the bare rows had been
    // given gemini-2.5-flash's cached price (0.03) and, for gemini-exp-1206, a paid price for a free model.
    assertThat(models.get("gemini-flash-latest")).isEqualTo(new ModelPrice(0.3, 2.5, Optional.of(0.075), none, none,
        Optional.of(1_048_576L), Optional.of(1.0), none));
    assertThat(models.get("gemini-exp-1206")).isEqualTo(new ModelPrice(0.0, 0.0, none, none, none,
        Optional.of(2_097_152L)));
    assertThat(models.get("gemini-flash-lite-latest").cacheReadPer1m()).contains(0.025);
    // No gemini-provider entry in the source: priced by nothing, so caps and budgets refuse them as unknown.
    assertThat(models).doesNotContainKeys("gemini-pro-latest", "gemini-2.0-flash-lite-001",
        "gemini-3.1-flash-live-preview", "gemini-2.5-flash-native-audio-latest");
    // Billed per generated clip, which the table has no price for: a 0 token price made them free under a cap.
    assertThat(models).doesNotContainKeys("lyria-3-clip-preview", "lyria-3-pro-preview");
  }

  @Test
  void theBuiltInTableIsTheDocumentedTransformationOfTheCommittedPriceExtracts() throws Exception {
    JsonNode chat = Json.MAPPER.readTree(Path.of("tools/prices/llm-prices.json").toFile());
    JsonNode embeddings = Json.MAPPER.readTree(Path.of("tools/prices/embedding-prices.json").toFile());
    Map<String, ModelPrice> expected = new HashMap<>();
    Map<String, TierPrices> expectedTiers = new HashMap<>();
    Set<String> providers = Set.of("openai", "anthropic", "mistral", "gemini");
    for (JsonNode m : chat.get("models")) {
      if (!providers.contains(m.get("provider").asText()) || m.get("input_per_1m").isNull()
          || m.get("output_per_1m").isNull()) {
        continue;
      }
      double input = m.get("input_per_1m").asDouble();
      boolean anthropic = m.get("provider").asText().equals("anthropic");
      expected.put(m.get("model").asText(), new ModelPrice(input, m.get("output_per_1m").asDouble(),
          m.get("cached_input_per_1m").isNumber() ? Optional.of(m.get("cached_input_per_1m").asDouble()) : none,
          anthropic ? Optional.of(BigDecimal.valueOf(input).multiply(new BigDecimal("1.25")).doubleValue()) : none,
          none, window(m), number(m, "input_audio_per_1m"), number(m, "output_audio_per_1m")));
      TierPrices tiers = new TierPrices(tier(m, "priority"), tier(m, "flex"));
      if (tiers.priority().isPresent() || tiers.flex().isPresent()) {
        expectedTiers.put(m.get("model").asText(), tiers);
      }
    }
    for (JsonNode m : embeddings.get("models")) {
      expected.put(m.get("model").asText(), new ModelPrice(m.get("input_per_1m").asDouble(), 0.0, none, none, none,
          window(m)));
    }

    assertThat(BuiltInPrices.table().models()).isEqualTo(expected);
    assertThat(BuiltInPrices.table().tiers()).isEqualTo(expectedTiers);
    assertThat(chat.get("source_commit").asText()).isEqualTo(BuiltInPrices.table().sourceCommit());
  }

  /** A tier's price where the extract has both its input and output prices, with the model's window. */
  static Optional<ModelPrice> tier(JsonNode m, String tier) {
    JsonNode input = m.path("input_" + tier + "_per_1m");
    JsonNode output = m.path("output_" + tier + "_per_1m");
    JsonNode cacheRead = m.path("cached_input_" + tier + "_per_1m");
    return input.isNumber() && output.isNumber() ? Optional.of(new ModelPrice(input.asDouble(), output.asDouble(),
        cacheRead.isNumber() ? Optional.of(cacheRead.asDouble()) : none, none, none, window(m))) : Optional.empty();
  }

  static Optional<Double> number(JsonNode m, String column) {
    return m.path(column).isNumber() ? Optional.of(m.get(column).asDouble()) : none;
  }

  static Optional<Long> window(JsonNode m) {
    return m.path("max_input_tokens").isNumber() ? Optional.of(m.get("max_input_tokens").asLong()) : Optional.empty();
  }

  @Test
  void shipsOpenAisResponsesOnlyModelsAtTheSourcesPrices() {
    var models = BuiltInPrices.table().models();
    assertThat(models.get("gpt-5-codex")).isEqualTo(new ModelPrice(1.25, 10.0, Optional.of(0.125), none, none,
        Optional.of(272_000L)));
    assertThat(models.get("gpt-5.1-codex-mini")).isEqualTo(new ModelPrice(0.25, 2.0, Optional.of(0.025), none, none,
        Optional.of(272_000L)));
    assertThat(models.get("codex-mini-latest")).isEqualTo(new ModelPrice(1.5, 6.0, Optional.of(0.375), none, none,
        Optional.of(200_000L)));
    assertThat(models.get("gpt-5-pro")).isEqualTo(new ModelPrice(15.0, 120.0, none, none, none,
        Optional.of(400_000L)));
    assertThat(models.get("o3-deep-research")).isEqualTo(new ModelPrice(10.0, 40.0, Optional.of(2.5), none, none,
        Optional.of(200_000L)));
    assertThat(models).containsKeys("gpt-5.1-codex", "gpt-5.1-codex-max", "gpt-5.2-codex", "gpt-5.3-codex",
        "gpt-5.2-pro", "gpt-5.4-pro", "gpt-5.5-pro", "o1-pro", "o3-pro", "o4-mini-deep-research");
  }

  @Test
  void knowsTheLargestContextWindowOfEachProvidersModels() {
    var largest = BuiltInPrices.table().largestWindows();
    assertThat(largest).containsEntry(LlmConfig.Provider.OPENAI, 1_050_000L)
        .containsEntry(LlmConfig.Provider.ANTHROPIC, 1_000_000L).containsEntry(LlmConfig.Provider.GEMINI, 2_097_152L)
        .containsEntry(LlmConfig.Provider.MISTRAL, 262_144L);
  }

  @Test
  void aModelsContextWindowIsTheTargetsThenTheBuiltInTablesThenTheLargestOfItsProvider() {
    GatewayConfig config = ConfigLoader.parse("""
        targets:
          openai:
            base_url: https://api.openai.com/v1
            llm:
              provider: openai
              default_model: gpt-4o-mini
              prices:
                gpt-4o-mini: {input_per_1m: 0.1, output_per_1m: 0.4}
                my-finetune: {input_per_1m: 0.3, output_per_1m: 1.2, max_input_tokens: 16384}
                house-model: {input_per_1m: 0.3, output_per_1m: 1.2}
          claude:
            base_url: https://api.anthropic.com/v1
            llm: {provider: anthropic, default_model: claude-haiku-4-5}
        """, name -> null);
    PriceTable prices = PriceTable.of(config);
    LlmConfig openai = config.target("openai").orElseThrow().llm().orElseThrow();
    LlmConfig claude = config.target("claude").orElseThrow().llm().orElseThrow();

    assertThat(prices.contextWindow(openai, "my-finetune")).isEqualTo(16_384);
    assertThat(prices.contextWindow(openai, "gpt-4o-mini")).as("a configured price without one").isEqualTo(128_000);
    assertThat(prices.contextWindow(openai, "house-model")).isEqualTo(1_050_000);
    assertThat(prices.contextWindow(claude, "claude-haiku-4-5")).isEqualTo(200_000);
    assertThat(prices.contextWindow(claude, "claude-next")).isEqualTo(1_000_000);
  }

  @Test
  void addsTheFeeOfEachWebSearchTheProviderRanToTheTokens() {
    // 100 × 1 + 20 × 5 per 1M = 0.0002, plus 2 searches at 0.01
    var usage = io.reliapi.llm.Usage.reported(100, 20).withWebSearches(2);
    assertThat(Costs.usd(usage, new ModelPrice(1.0, 5.0))).isEqualByComparingTo("0.0202");
  }

  @Test
  void writesACostWithoutTrailingZerosWhateverTermsAreZero() {
    var price = new ModelPrice(0.15, 0.6, Optional.of(0.075), Optional.of(0.3), Optional.of(2.0));
    assertThat(Costs.usd(io.reliapi.llm.Usage.reported(1000, 1024), price).toPlainString()).isEqualTo("0.0007644");
    assertThat(Costs.usd(io.reliapi.llm.Usage.reported(0, 0), price).toPlainString()).isEqualTo("0");
    assertThat(Costs.usd(1000, 0, price).toPlainString()).isEqualTo("0.00015");
    assertThat(Costs.usd(0, 0, price).toPlainString()).isEqualTo("0");
  }

  @Test
  void pricesCacheAndReasoningTokensAtTheirOwnPricesAndFallsBackToInputAndOutput() {
    var usage = new io.reliapi.llm.Usage(1000, 500, false, 600, 100, 200);
    // 300 uncached × 1 + 600 read × 0.1 + 100 written × 1.25 + 300 output × 5 + 200 reasoning × 4, per 1M
    var priced = new ModelPrice(1.0, 5.0, Optional.of(0.1), Optional.of(1.25), Optional.of(4.0));
    assertThat(Costs.usd(usage, priced)).isEqualByComparingTo("0.002785");
    // without cache and reasoning prices: every prompt token at the input price, every output token at the output price
    assertThat(Costs.usd(usage, new ModelPrice(1.0, 5.0))).isEqualByComparingTo("0.0035");
  }

  @Test
  void letsATargetOverrideAndExtendTheBuiltInPrices() {
    var openai = CONFIG.target("openai").orElseThrow().llm().orElseThrow();
    var azure = CONFIG.target("azure").orElseThrow().llm().orElseThrow();
    assertThat(table.price(openai, "gpt-4o-mini")).contains(new ModelPrice(0.1, 0.4));
    assertThat(table.price(azure, "gpt-4o-mini"))
        .contains(new ModelPrice(0.15, 0.6, Optional.of(0.075), none, none, Optional.of(128_000L)));
    assertThat(table.price(openai, "my-finetune")).contains(new ModelPrice(0.3, 1.2));
    assertThat(table.price(azure, "my-finetune")).isEqualTo(Optional.empty());
    assertThat(table.price(openai, "llama-3-70b")).isEmpty();
  }

  @Test
  void boundsTheModelMetricLabelToKnownModels() {
    assertThat(table.label("gpt-4o")).isEqualTo("gpt-4o");
    assertThat(table.label("my-finetune")).isEqualTo("my-finetune");
    assertThat(table.label("anything-a-client-typed")).isEqualTo("other");
    assertThat(table.label(null)).isEqualTo("other");
  }
}
