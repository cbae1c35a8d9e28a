package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp.Res;
import io.reliapi.testing.TestYaml;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A raw chat call ({@code /t/{target}/chat/completions}, the provider's own protocol) is held to the client's period
 * budget and the target's breaker like a {@code /v1} call. Every call on gpt-4o-mini with the prompt "Hello" and
 * max_tokens 100 reserves 0.0000612 USD, and an answer of 8 + 100 tokens costs exactly that.
 */
class RawChatGuaranteesEndToEndTest {
  static final String RAW_CHAT = "{\"model\": \"gpt-4o-mini\", \"max_tokens\": 100, "
      + "\"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}";
  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();
  private final ManualClock clock = new ManualClock();

  private void start(String budget) {
    e2e.start(GatewayHarness.yaml("""
        clients:
          - {name: team, key_env: TEAM_KEY, budget: %2$s}
        targets:
          openai:
            base_url: "%1$s/v1"
            %3$s
            circuit: {enabled: false}
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100}
          other:
            base_url: "%1$s/other/v1"
            %3$s
            circuit: {enabled: false}
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100}
          fragile:
            base_url: "%1$s/fragile/v1"
            %3$s
            circuit: {error_threshold: 2, cooldown_s: 600}
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100}
        """.formatted(e2e.up().baseUrl(), budget, TestYaml.NO_RETRIES))
        .env("TEAM_KEY", "team-secret").clock(clock, ManualScheduler.manual(clock)));
  }

  private Res raw(String target, String body) {
    return e2e.gw().http.post("/t/" + target + "/chat/completions", body, "X-API-Key", "team-secret");
  }

  @Test
  void rawChatsSpendTheClientsPeriodBudgetOverAllItsTargetsThenAre429() {
    e2e.up().otherwise("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Hi!", 8, 100));
    e2e.up().otherwise("POST /other/v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Hi!", 8, 100));
    // Room for exactly two reservations of 0.0000612.
    start("{daily_usd: 0.00013}");
    assertThat(raw("openai", RAW_CHAT).status()).isEqualTo(200);
    assertThat(raw("other", RAW_CHAT).status()).isEqualTo(200);

    Res refused = raw("openai", RAW_CHAT);
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(refused.json().get("code").asText()).isEqualTo("BUDGET_EXHAUSTED");
    assertThat(refused.json().get("details").get("budget").asText()).isEqualTo("client");
    assertThat(refused.header("Retry-After")).isEqualTo("43200");
    assertThat(raw("other", RAW_CHAT).status()).isEqualTo(429);
    assertThat(e2e.up().total()).isEqualTo(2);
  }

  @Test
  void aRawStreamSpendsTheClientsBudgetByItsActualCost() {
    e2e.up().otherwise("POST /v1/chat/completions", LlmBehaviors.sse(
        LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hi", "!"), 8, 2), 1));
    // After k streams 0.0000024 × k is spent; a reservation of 0.0000612 fits under 0.00007 for k ≤ 3.
    start("{daily_usd: 0.00007}");
    String streamed = RAW_CHAT.replace("\"max_tokens\"", "\"stream\": true, \"max_tokens\"");
    for (int i = 0; i < 4; i++) {
      Res r = raw("openai", streamed);
      assertThat(r.status()).as("stream %d", i + 1).isEqualTo(200);
      assertThat(r.body()).contains("[DONE]");
    }
    Res refused = raw("openai", streamed);
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.json().get("details").get("budget").asText()).isEqualTo("client");
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(4);
  }

  @Test
  void rawChatFailuresOpenTheBreakerWhichThenRefusesWithoutAnUpstreamCall() {
    e2e.up().otherwise("POST /fragile/v1/chat/completions", Behavior.status(500));
    start("{daily_usd: 100}");
    assertThat(raw("fragile", RAW_CHAT).status()).isEqualTo(500);
    assertThat(raw("fragile", RAW_CHAT).status()).isEqualTo(500);

    Res refused = raw("fragile", RAW_CHAT);
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(refused.json().get("code").asText()).isEqualTo("CIRCUIT_OPEN");
    assertThat(refused.header("Retry-After")).isEqualTo("600");
    String streamed = RAW_CHAT.replace("\"max_tokens\"", "\"stream\": true, \"max_tokens\"");
    assertThat(raw("fragile", streamed).json().get("code").asText()).isEqualTo("CIRCUIT_OPEN");
    assertThat(e2e.up().count("/fragile/v1/chat/completions")).isEqualTo(2);
  }

  @Test
  void aBrokenRawStreamCountsAsAFailureForTheBreaker() {
    e2e.up().otherwise("POST /fragile/v1/chat/completions", LlmBehaviors.sseThenReset(List.of(), 1));
    start("{daily_usd: 100}");
    String streamed = RAW_CHAT.replace("\"max_tokens\"", "\"stream\": true, \"max_tokens\"");
    raw("fragile", streamed);
    raw("fragile", streamed);

    Res refused = raw("fragile", streamed);
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.json().get("code").asText()).isEqualTo("CIRCUIT_OPEN");
    assertThat(e2e.up().count("/fragile/v1/chat/completions")).isEqualTo(2);
  }
}
