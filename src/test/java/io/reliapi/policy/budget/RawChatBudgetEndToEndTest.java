package io.reliapi.policy.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp.Res;
import io.reliapi.testing.TestYaml;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A budgeted target can never be spent around its budget through the raw routes (issue 11.1). As in
 * {@link BudgetEndToEndTest}, every attempt on gpt-4o-mini with the prompt "Hello" and max_tokens 100
 * reserves 0.0000612 USD, and an answer of 8 + 100 tokens costs exactly that.
 */
class RawChatBudgetEndToEndTest {
  static final String RAW_CHAT = "{\"model\": \"gpt-4o-mini\", \"max_tokens\": 100, "
      + "\"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}";

  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();
  private final ManualClock clock = new ManualClock();

  private void start(String budget) {
    e2e.start(GatewayHarness.yaml("""
        clients:
          - {name: team, key_env: TEAM_KEY}
        targets:
          openai:
            base_url: "%s/v1"
            %s
            circuit: {enabled: false}
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100, budget: %s}
        """.formatted(e2e.up().baseUrl(), TestYaml.NO_RETRIES, budget))
        .env("TEAM_KEY", "team-secret").clock(clock, ManualScheduler.manual(clock)));
  }

  private Res raw() {
    return e2e.gw().http.post("/t/openai/chat/completions", RAW_CHAT, "X-API-Key", "team-secret");
  }

  private Res envelope() {
    return e2e.gw().http.post("/proxy/http", "{\"target\": \"openai\", \"method\": \"POST\", "
        + "\"path\": \"/chat/completions\", \"body\": " + RAW_CHAT + "}", "X-API-Key", "team-secret");
  }

  private Res v1() {
    return e2e.gw().http.post("/v1/chat/completions", RAW_CHAT.replace("gpt-4o-mini", "openai/gpt-4o-mini"),
        "X-API-Key", "team-secret");
  }

  @Test
  void aBudgetSpentOnV1StopsRawCallsAndTheOtherWayRound() {
    e2e.up().otherwise("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Hi!", 8, 100));
    // Room for exactly two reservations of 0.0000612.
    start("{daily_usd: 0.00013}");
    assertThat(v1().status()).isEqualTo(200);
    assertThat(raw().status()).isEqualTo(200);

    Res refused = raw();
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(refused.json().get("code").asText()).isEqualTo("BUDGET_EXHAUSTED");
    assertThat(refused.header("Retry-After")).isEqualTo("43200");
    assertThat(envelope().json().get("error").get("code").asText()).isEqualTo("BUDGET_EXHAUSTED");
    assertThat(v1().status()).isEqualTo(429);
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(2);
  }

  @Test
  void concurrentRawCallsNeverTogetherOverspend() {
    e2e.up().otherwise("POST /v1/chat/completions",
        Behavior.delayed(300, LlmBehaviors.openAi("gpt-4o-mini", "Hi!", 8, 100)));
    // Room for exactly five reservations of 0.0000612 (0.000306), not six.
    start("{daily_usd: 0.00031}");
    List<CompletableFuture<Res>> sent = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      sent.add(i % 2 == 0
          ? e2e.gw().http.postAsync("/t/openai/chat/completions", RAW_CHAT, "X-API-Key", "team-secret")
          : e2e.gw().http.postAsync("/proxy/http", "{\"target\": \"openai\", \"method\": \"POST\", "
              + "\"path\": \"/chat/completions\", \"body\": " + RAW_CHAT + "}", "X-API-Key", "team-secret"));
    }
    List<Integer> statuses = sent.stream().map(CompletableFuture::join).map(Res::status).toList();

    assertThat(statuses).filteredOn(s -> s == 200).hasSize(5);
    assertThat(statuses).filteredOn(s -> s == 429).hasSize(7);
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(5);
  }

  @Test
  void aRawStreamIsChargedItsActualCostWhenItEnds() {
    e2e.up().otherwise("POST /v1/chat/completions", LlmBehaviors.sse(
        LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hi", "!"), 8, 2), 1));
    // After k streams 0.0000024 × k is spent; a reservation of 0.0000612 fits under 0.00007 for k ≤ 3.
    start("{daily_usd: 0.00007}");
    String streamed = RAW_CHAT.replace("\"max_tokens\"", "\"stream\": true, \"max_tokens\"");
    for (int i = 0; i < 4; i++) {
      Res r = e2e.gw().http.post("/t/openai/chat/completions", streamed, "X-API-Key", "team-secret");
      assertThat(r.status()).as("stream %d", i + 1).isEqualTo(200);
      assertThat(r.body()).contains("[DONE]");
    }
    assertThat(e2e.gw().http.post("/t/openai/chat/completions", streamed, "X-API-Key", "team-secret").status())
        .isEqualTo(429);
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(4);
  }
}
