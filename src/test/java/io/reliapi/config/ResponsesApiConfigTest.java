package io.reliapi.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code llm.responses_api}: which targets serve OpenAI's Responses API themselves. */
class ResponsesApiConfigTest {

  static boolean served(GatewayConfig config, String target) {
    return config.target(target).orElseThrow().llm().orElseThrow().responsesApi();
  }

  @Test
  void defaultsToTrueOnlyForOpenAiItself() {
    GatewayConfig config = ConfigLoader.parse("""
        targets:
          openai: {base_url: https://API.openai.com/v1, llm: {provider: openai, default_model: gpt-4.1}}
          azure: {base_url: https://x.openai.azure.com/openai/v1, llm: {provider: openai, default_model: gpt-4.1}}
          vllm: {base_url: http://10.0.0.5:8000/v1, llm: {provider: openai, default_model: llama}}
          claude: {base_url: https://api.anthropic.com/v1, llm: {provider: anthropic, default_model: claude-haiku-4-5}}
        """, name -> null);
    assertThat(served(config, "openai")).isTrue();
    assertThat(served(config, "azure")).isFalse();
    assertThat(served(config, "vllm")).isFalse();
    assertThat(served(config, "claude")).isFalse();
  }

  @Test
  void defaultsToTrueOnlyWhenEveryDeploymentIsOpenAiItself() {
    GatewayConfig config = ConfigLoader.parse("""
        targets:
          spread:
            deployments:
              - {name: a, base_url: https://api.openai.com/v1}
              - {name: b, base_url: https://API.openai.com/v1}
            llm: {provider: openai, default_model: gpt-4.1}
          mixed:
            base_url: https://api.openai.com/v1
            deployments: [{name: a}, {name: local, base_url: http://10.0.0.5:8000/v1}]
            llm: {provider: openai, default_model: gpt-4.1}
          away:
            base_url: http://10.0.0.5:8000/v1
            deployments: [{name: a, base_url: https://api.openai.com/v1}]
            llm: {provider: openai, default_model: gpt-4.1}
        """, name -> null);
    assertThat(served(config, "spread")).isTrue();
    assertThat(served(config, "mixed")).isFalse();
    assertThat(served(config, "away")).isTrue();
  }

  @Test
  void isSetEitherWayForAnOpenAiProtocolTarget() {
    GatewayConfig config = ConfigLoader.parse("""
        targets:
          openai: {base_url: https://api.openai.com/v1,
                   llm: {provider: openai, default_model: gpt-4.1, responses_api: false}}
          proxy: {base_url: https://llm.internal/v1, llm: {provider: openai, default_model: gpt-4.1, responses_api: true}}
        """, name -> null);
    assertThat(served(config, "openai")).isFalse();
    assertThat(served(config, "proxy")).isTrue();
  }

  @Test
  void isAnErrorForAnotherProviderOrNotABoolean() {
    assertThatThrownBy(() -> ConfigLoader.parse("""
        targets:
          claude: {base_url: https://api.anthropic.com/v1,
                   llm: {provider: anthropic, default_model: claude-haiku-4-5, responses_api: true}}
          odd: {base_url: https://api.openai.com/v1, llm: {provider: openai, default_model: m, responses_api: maybe}}
        """, name -> null))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .anyMatch(p -> p.contains("targets.claude.llm.responses_api") && p.contains("only for provider openai"))
            .anyMatch(p -> p.contains("targets.odd.llm.responses_api") && p.contains("true or false")));
  }
}
