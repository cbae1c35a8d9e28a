package io.reliapi.policy.budget;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.FreePort;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp.Res;
import io.reliapi.testing.TestYaml;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Period budgets on one instance (SPEC §3.5), with exact numbers. The prompt "Hello" is 8 tokens and
 * max_tokens is 100, so on gpt-4o-mini ($0.15 / $0.60 per 1M) every attempt reserves 0.0000612 USD; an
 * answer of 8 + 100 tokens costs exactly that, one of 8 + 2 tokens costs 0.0000024. The clock stands at
 * 2026-11-27T12:00:00Z: the day's budget resets in 43200 s.
 */
class BudgetEndToEndTest {
  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();
  private final ManualClock clock = new ManualClock();

  /** Starts a gateway whose target {@code openai} has {@code llmExtras} in its llm block. */
  private void start(String llmExtras, String targetExtras, String topLevel) {
    e2e.start(GatewayHarness.yaml(topLevel + """
        targets:
          openai:
            base_url: "%s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100%s}
        """.formatted(e2e.up().baseUrl(), llmExtras) + (TestYaml.ONE_ATTEMPT + targetExtras).indent(4))
        .env("TEAM_KEY", "team-secret").clock(clock, ManualScheduler.manual(clock)));
  }

  private Res ask(String target, String... headers) {
    return e2e.gw().http.post("/proxy/llm", "{\"target\": \"" + target + "\", \"messages\": "
        + "[{\"role\": \"user\", \"content\": \"Hello\"}]}", headers);
  }

  private void answersCosting(int completionTokens) {
    e2e.up().otherwise("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Hi!", 8, completionTokens));
  }

  @Test
  void aSpentTargetBudgetIs429WithRetryAfterUntilTheUtcDayEnds() {
    answersCosting(100);
    start(", budget: {daily_usd: 0.0001}", "", "");

    Res first = ask("openai");
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.json().get("meta").get("cost_estimate_usd").decimalValue()).isEqualByComparingTo("0.0000612");
    Res refused = ask("openai");

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.header("Retry-After")).isEqualTo("43200");
    JsonNode error = refused.json().get("error");
    assertThat(error.get("code").asText()).isEqualTo("BUDGET_EXHAUSTED");
    assertThat(error.get("retry_after_s").asLong()).isEqualTo(43200);
    assertThat(error.get("details").get("budget").asText()).isEqualTo("target");
    assertThat(error.get("details").get("period").asText()).isEqualTo("day");
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(1);
    assertThat(e2e.gw().http.get("/metrics").body())
        .contains("reliapi_budget_events_total{event=\"exhausted\",target=\"openai\"} 1.0");

    clock.advance(Duration.ofHours(12));
    assertThat(ask("openai").status()).isEqualTo(200);
  }

  @Test
  void eachAttemptIsSettledToItsActualCostSoCheapAnswersLeaveRoomForMore() {
    answersCosting(2);
    // After k answers 0.0000024 × k is spent; a reservation of 0.0000612 fits under 0.00007 for k ≤ 3.
    start(", budget: {daily_usd: 0.00007}", "", "");
    for (int i = 0; i < 4; i++) {
      assertThat(ask("openai").status()).as("call %d", i + 1).isEqualTo(200);
    }
    assertThat(ask("openai").status()).isEqualTo(429);
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(4);
  }

  @Test
  void aStreamIsChargedItsActualCostWhenItEnds() {
    e2e.up().otherwise("POST /v1/chat/completions", Behavior.chunks(LlmBehaviors.sseHeaders(),
        LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hi", "!"), 8, 2), 1));
    start(", budget: {daily_usd: 0.00007}", "", "");
    String streamed = "{\"target\": \"openai\", \"stream\": true, \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}";
    for (int i = 0; i < 4; i++) {
      Res r = e2e.gw().http.post("/proxy/llm", streamed);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).contains("event: done");
    }
    Res refused = e2e.gw().http.post("/proxy/llm", streamed);
    assertThat(refused.status()).isEqualTo(429);
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(4);
  }

  @Test
  void aClientBudgetCountsOverAllTheClientsTargets() {
    answersCosting(100);
    String backup = "  backup:\n    base_url: \"" + e2e.up().baseUrl() + "/v1\"\n"
        + "    llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100}\n";
    e2e.start(GatewayHarness.yaml("""
        clients:
          - {name: team, key_env: TEAM_KEY, budget: {daily_usd: 0.0001}}
        targets:
          openai:
            base_url: "%s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100}
        """.formatted(e2e.up().baseUrl()) + backup)
        .env("TEAM_KEY", "team-secret").clock(clock, ManualScheduler.manual(clock)));

    assertThat(ask("openai", "X-API-Key", "team-secret").status()).isEqualTo(200);
    Res refused = ask("backup", "X-API-Key", "team-secret");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.json().get("error").get("details").get("budget").asText()).isEqualTo("client");
  }

  @Test
  void anAttemptThatNeverReachedTheProviderIsNotCharged() {
    int closed = FreePort.refused();
    e2e.start(GatewayHarness.yaml("""
        targets:
          down:
            base_url: "http://127.0.0.1:%d/v1"
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100, budget: {daily_usd: 0.0001}}
        """.formatted(closed) + TestYaml.ONE_ATTEMPT.indent(4)).clock(clock, ManualScheduler.manual(clock)));
    for (int i = 0; i < 3; i++) {
      Res refused = ask("down");
      assertThat(refused.status()).isEqualTo(502);
      assertThat(refused.json().get("error").get("code").asText()).isEqualTo("NETWORK_ERROR");
    }
  }

  @Test
  void anAttemptWhoseOutcomeIsUnknownKeepsItsEstimate() {
    e2e.up().otherwise("POST /v1/chat/completions", Behavior.silence());
    start(", budget: {daily_usd: 0.0001}", "timeout_ms: 300\n", "");
    assertThat(ask("openai").status()).isEqualTo(504);
    assertThat(ask("openai").status()).isEqualTo(429);
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(1);
  }

  @Test
  void cacheHitsAreFree() {
    answersCosting(100);
    start(", budget: {daily_usd: 0.0001}", "cache: {ttl_s: 600}\n", "");
    assertThat(ask("openai").status()).isEqualTo(200);
    Res hit = ask("openai");
    assertThat(hit.status()).isEqualTo(200);
    assertThat(hit.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(hit.json().get("meta").get("cost_usd").asDouble()).isZero();
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(1);
  }

  @Test
  void anExhaustedTargetFallsBackToTheNextTarget() {
    answersCosting(100);
    String backup = "  backup:\n    base_url: \"" + e2e.up().baseUrl() + "/v1\"\n"
        + "    llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100}\n";
    e2e.start(GatewayHarness.yaml("""
        targets:
          openai:
            base_url: "%s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100, budget: {daily_usd: 0.0001}}
            fallback_targets: [backup]
        """.formatted(e2e.up().baseUrl()) + backup).clock(clock, ManualScheduler.manual(clock)));

    assertThat(ask("openai").header("X-ReliAPI-Target")).isEqualTo("openai");
    Res second = ask("openai");
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.header("X-ReliAPI-Target")).isEqualTo("backup");
    assertThat(second.json().get("meta").get("fallback_used").asBoolean()).isTrue();
  }

  @Test
  void aModelWithoutAPriceUnderABudgetIsRefusedRatherThanLeftUncounted() {
    e2e.start(GatewayHarness.yaml("""
        targets:
          house:
            base_url: "%s/v1"
            llm: {provider: openai, default_model: house-model, budget: {monthly_usd: 5}}
        """.formatted(e2e.up().baseUrl())).clock(clock, ManualScheduler.manual(clock)));
    Res refused = ask("house");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().get("error").get("code").asText()).isEqualTo("MODEL_PRICE_UNKNOWN");
    assertThat(e2e.up().count("/v1/chat/completions")).isZero();
  }

  @Test
  void aHeldStreamThatEndsWithTheProvidersErrorEventSettlesWhatItStreamed() {
    // 300 pieces of " word" (one token each) streamed before the provider's error event: about 0.00018 USD of
    // output at $0.60 per 1M, billed by the provider though the client gets an error. The budget of 0.0001 is
    // then spent, so the next request is refused; settled at 0 it would pass (its 0.0000612 fits).
    List<String> events = new java.util.ArrayList<>(
        LlmBehaviors.openAiStreamEvents("gpt-4o-mini", java.util.Collections.nCopies(300, " word"), 8, 300)
            .subList(0, 301));
    events.add("data: {\"error\": {\"message\": \"overloaded\", \"type\": \"server_error\"}}\n\n");
    e2e.up().otherwise("POST /v1/chat/completions", LlmBehaviors.sse(events, 0));
    start(", budget: {daily_usd: 0.0001}", "", "");

    Res broken = e2e.gw().http.post("/proxy/llm", "{\"target\": \"openai\", \"stream\": true, \"messages\": "
        + "[{\"role\": \"user\", \"content\": \"Hello\"}]}", "X-ReliAPI-Stream-Commit", "complete");
    assertThat(broken.status()).isGreaterThanOrEqualTo(500);

    answersCosting(2);
    Res next = ask("openai");
    assertThat(next.status()).as("the streamed output was settled on the budget").isEqualTo(429);
    assertThat(next.json().get("error").get("code").asText()).isEqualTo("BUDGET_EXHAUSTED");
  }
}
