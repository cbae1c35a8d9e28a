package io.reliapi.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reliapi.config.LlmConfig.ModelPrice;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The llm keys of issue 12: provider gemini, query, max_tokens_field and the cache and reasoning prices. */
class LlmProviderConfigTest {

  @Test
  void readsGeminiQueryMaxTokensFieldAndTheOptionalPrices() {
    GatewayConfig config = ConfigLoader.parse("""
        targets:
          gemini:
            base_url: https://generativelanguage.googleapis.com/v1beta
            llm: {provider: gemini, default_model: gemini-2.5-flash}
          azure:
            base_url: https://res.openai.azure.com/openai/deployments/gpt-4o-mini
            llm:
              provider: openai
              default_model: gpt-4o-mini
              query: {api-version: "2024-10-21", x.y_z~: 3}
              max_tokens_field: max_tokens
              prices:
                gpt-4o-mini: {input_per_1m: 0.15, output_per_1m: 0.6, cache_read_per_1m: 0.075,
                              cache_write_per_1m: 0.2, reasoning_per_1m: 1.5}
                text-embedding-3-small: {input_per_1m: 0.02, output_per_1m: 0}
        """, name -> null);
    LlmConfig gemini = config.target("gemini").orElseThrow().llm().orElseThrow();
    LlmConfig azure = config.target("azure").orElseThrow().llm().orElseThrow();

    assertThat(gemini.provider()).isEqualTo(LlmConfig.Provider.GEMINI);
    assertThat(gemini.query()).isEmpty();
    assertThat(gemini.maxTokensField()).isEqualTo(LlmConfig.MaxTokensField.AS_SENT);
    assertThat(azure.query()).isEqualTo(Map.of("api-version", "2024-10-21", "x.y_z~", "3"));
    assertThat(azure.maxTokensField()).isEqualTo(LlmConfig.MaxTokensField.MAX_TOKENS);
    assertThat(azure.prices().get("gpt-4o-mini"))
        .isEqualTo(new ModelPrice(0.15, 0.6, Optional.of(0.075), Optional.of(0.2), Optional.of(1.5)));
    assertThat(azure.prices().get("text-embedding-3-small")).isEqualTo(new ModelPrice(0.02, 0.0));
    assertThat(azure.prices().get("text-embedding-3-small").cacheReadOrInput()).isEqualTo(0.02);
    assertThat(azure.prices().get("text-embedding-3-small").reasoningOrOutput()).isEqualTo(0.0);
  }

  @Test
  void refusesBadQueryNamesAMaxTokensFieldOffOpenAiAndNegativePrices() {
    assertThatThrownBy(() -> ConfigLoader.parse("""
        targets:
          a:
            base_url: https://a.example/v1
            llm:
              provider: openai
              default_model: m
              query: {"api version": "1", ok: {nested: 1}}
              max_tokens_field: sometimes
              prices: {m: {input_per_1m: 1, output_per_1m: 1, cache_read_per_1m: -1, reasoning: 2}}
          b:
            base_url: https://b.example/v1beta
            llm: {provider: gemini, default_model: g, max_tokens_field: max_tokens}
        """, name -> null))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .anyMatch(p -> p.contains("targets.a.llm.query.api version") && p.contains("query parameter name"))
            .anyMatch(p -> p.contains("targets.a.llm.query.ok") && p.contains("must be a string"))
            .anyMatch(p -> p.contains("targets.a.llm.max_tokens_field")
                && p.contains("as_sent, max_tokens, max_completion_tokens"))
            .anyMatch(p -> p.contains("targets.a.llm.prices.m.cache_read_per_1m") && p.contains("from 0"))
            .anyMatch(p -> p.contains("targets.a.llm.prices.m.reasoning") && p.contains("reasoning_per_1m"))
            .anyMatch(p -> p.contains("targets.b.llm.max_tokens_field") && p.contains("only applies to provider openai")));
  }

  /**
   * Found in review: gpt-5 or o3 behind a proxy (Azure API Management, Cloudflare AI Gateway) got max_tokens, which
   * they refuse, and nothing could force the other name.
   */
  @Test
  void readsMaxTokensFieldMaxCompletionTokens() {
    GatewayConfig config = ConfigLoader.parse("""
        targets:
          apim:
            base_url: https://corp.azure-api.net/openai/deployments/gpt-5
            llm: {provider: openai, default_model: gpt-5, max_tokens_field: max_completion_tokens}
        """, name -> null);
    assertThat(config.target("apim").orElseThrow().llm().orElseThrow().maxTokensField())
        .isEqualTo(LlmConfig.MaxTokensField.MAX_COMPLETION_TOKENS);
  }

  @Test
  void readsStructuredOutputsOnAnthropicTargetsOnly() {
    GatewayConfig config = ConfigLoader.parse("""
        targets:
          claude:
            base_url: https://api.anthropic.com/v1
            llm: {provider: anthropic, default_model: claude-sonnet-latest, structured_outputs: native}
          older:
            base_url: https://api.anthropic.com/v1
            llm: {provider: anthropic, default_model: claude-3-7-sonnet}
        """, name -> null);
    assertThat(config.target("claude").orElseThrow().llm().orElseThrow().structuredOutputs())
        .isEqualTo(LlmConfig.StructuredOutputs.NATIVE);
    assertThat(config.target("older").orElseThrow().llm().orElseThrow().structuredOutputs())
        .isEqualTo(LlmConfig.StructuredOutputs.AUTO);

    assertThatThrownBy(() -> ConfigLoader.parse("""
        targets:
          a:
            base_url: https://api.anthropic.com/v1
            llm: {provider: anthropic, default_model: m, structured_outputs: always}
          b:
            base_url: https://b.example/v1
            llm: {provider: openai, default_model: g, structured_outputs: native}
        """, name -> null))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .anyMatch(p -> p.contains("targets.a.llm.structured_outputs") && p.contains("auto, native, prompt"))
            .anyMatch(p -> p.contains("targets.b.llm.structured_outputs") && p.contains("only applies to provider anthropic")));
  }
}
