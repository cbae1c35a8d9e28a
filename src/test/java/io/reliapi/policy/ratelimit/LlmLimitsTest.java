package io.reliapi.policy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.ClientConfig;
import io.reliapi.config.ConfigLoader;
import io.reliapi.config.GatewayConfig;
import io.reliapi.llm.ChatFixtures;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.CostEstimate;
import io.reliapi.store.UsageLimit;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which request and token limits an LLM attempt counts on, and how many tokens it reserves. */
class LlmLimitsTest {
  private static final GatewayConfig CONFIG = ConfigLoader.parse("""
      clients:
        - {name: team, key_env: TEAM_KEY, limits: {tpm: 90000}}
        - {name: free, key_env: FREE_KEY}
      targets:
        openai:
          base_url: https://api.openai.com/v1
          llm: {provider: openai, default_model: gpt-4o-mini, limits: {rpm: 500, tpm: 200000}}
        plain: {base_url: https://api.example.com}
      """, name -> "secret-" + name);

  private static Optional<ClientConfig> client(String name) {
    return CONFIG.clients().stream().filter(c -> c.name().equals(name)).findFirst();
  }

  @Test
  void anAttemptCountsOnItsTargetsAndItsClientsLimits() {
    assertThat(LlmLimits.of(client("team"), CONFIG.target("openai").orElseThrow())).containsExactly(
        new UsageLimit("target:openai", 500, 200_000), new UsageLimit("client:team", 0, 90_000));
    assertThat(LlmLimits.of(client("free"), CONFIG.target("plain").orElseThrow())).isEmpty();
    assertThat(LlmLimits.of(Optional.empty(), CONFIG.target("openai").orElseThrow()))
        .containsExactly(new UsageLimit("target:openai", 500, 200_000));
  }

  @Test
  void anAttemptReservesItsPromptAndTheMostItMayGenerateForEachChoice() {
    ChatRequest one = ChatFixtures.request("m", "[{\"role\":\"user\",\"content\":\"hi\"}]", 100, false, "{}", "{}")
        .withEstimate(new CostEstimate(8, 100, Optional.empty(), Optional.empty()));
    ChatRequest three = ChatFixtures.request("m", "[{\"role\":\"user\",\"content\":\"hi\"}]", 100, false,
        "{\"n\": 3}", "{}").withEstimate(new CostEstimate(8, 100, Optional.empty(), Optional.empty()));
    assertThat(LlmLimits.reservedTokens(one)).isEqualTo(108);
    assertThat(LlmLimits.reservedTokens(three)).isEqualTo(308);
  }

  @Test
  void whoseLimitANameIs() {
    assertThat(LlmLimits.owner("client:team")).isEqualTo("client");
    assertThat(LlmLimits.owner("target:openai")).isEqualTo("target");
  }
}
