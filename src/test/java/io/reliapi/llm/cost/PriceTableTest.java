package io.reliapi.llm.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.ConfigLoader;
import io.reliapi.config.GatewayConfig;
import io.reliapi.config.LlmConfig.ModelPrice;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PriceTableTest {
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
    assertThat(models.get("gpt-4o-mini")).isEqualTo(new ModelPrice(0.15, 0.6));
    assertThat(models.get("gpt-4o")).isEqualTo(new ModelPrice(2.5, 10.0));
    assertThat(models.get("claude-haiku-4-5")).isEqualTo(new ModelPrice(1.0, 5.0));
    assertThat(models.get("claude-opus-4-5")).isEqualTo(new ModelPrice(5.0, 25.0));
    assertThat(models.get("mistral-small-latest")).isEqualTo(new ModelPrice(0.06, 0.18));
    assertThat(models.get("mistral-large-latest")).isEqualTo(new ModelPrice(0.5, 1.5));
    assertThat(models).hasSize(163);
    assertThat(models.keySet()).noneMatch(m -> m.startsWith("gemini") || m.startsWith("grok") || m.startsWith("deepseek"));
  }

  @Test
  void letsATargetOverrideAndExtendTheBuiltInPrices() {
    var openai = CONFIG.target("openai").orElseThrow().llm().orElseThrow();
    var azure = CONFIG.target("azure").orElseThrow().llm().orElseThrow();
    assertThat(table.price(openai, "gpt-4o-mini")).contains(new ModelPrice(0.1, 0.4));
    assertThat(table.price(azure, "gpt-4o-mini")).contains(new ModelPrice(0.15, 0.6));
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
