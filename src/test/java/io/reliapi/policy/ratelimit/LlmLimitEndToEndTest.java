package io.reliapi.policy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.testing.FreePort;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp.Res;
import io.reliapi.testing.TestYaml;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * LLM request and token limits per sliding minute on one instance. The prompt "Hello" is 8 tokens and
 * {@code max_tokens} is 100, so every attempt reserves 108 tokens; the mock provider reports 8 prompt tokens
 * and the completion tokens each test chooses. The clock stands on a whole minute, so what is counted now
 * leaves the window exactly 60 s later.
 */
class LlmLimitEndToEndTest {
  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();
  private final ManualClock clock = new ManualClock();

  /** {@code llmExtras} go into the {@code llm} block of target {@code openai}, {@code targetExtras} beside it. */
  private void start(String clients, String llmExtras, String targetExtras, String baseUrl) {
    e2e.start(GatewayHarness.yaml("""
        admin: {keys_env: ADMIN_KEYS}
        clients:
        %s
        targets:
          openai:
            base_url: "%s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100%s}
        %s
          backup:
            base_url: "%s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100}
            %s
            circuit: {enabled: false}
        """.formatted(clients.indent(2).stripTrailing(), baseUrl, llmExtras,
            (TestYaml.ONE_ATTEMPT + targetExtras).indent(4).stripTrailing(), e2e.up().baseUrl(), TestYaml.NO_RETRIES))
        .env("TEAM_KEY", "team-secret").env("ADMIN_KEYS", "admin-1")
        .clock(clock, ManualScheduler.manual(clock)));
  }

  private void start(String clients, String llmExtras) {
    start(clients, llmExtras, "", e2e.up().baseUrl());
  }

  private Res ask(String target) {
    return e2e.gw().http.post("/proxy/llm", "{\"target\": \"" + target + "\", \"messages\": "
        + "[{\"role\": \"user\", \"content\": \"Hello\"}]}", "X-API-Key", "team-secret");
  }

  private void answersUsing(int completionTokens) {
    e2e.up().otherwise("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Hi!", 8, completionTokens));
  }

  private JsonNode trail(Res res) {
    String id = res.json().get("meta").get("request_id").asText();
    return e2e.gw().http.get("/admin/requests/" + id, "X-API-Key", "admin-1").json().get("trail");
  }

  private static List<String> texts(JsonNode trail) {
    return trail.findValuesAsText("text");
  }

  @Test
  void aTargetsTokensPerMinuteAre429WithRetryAfterUntilTheWindowHasRoom() {
    answersUsing(100);
    start("- {name: team, key_env: TEAM_KEY}", ", limits: {tpm: 250}");

    Res first = ask("openai");
    assertThat(first.status()).isEqualTo(200);
    assertThat(texts(trail(first))).contains("llm_limit reserved 108 tokens", "llm_limit settled 108 tokens");
    clock.advance(Duration.ofSeconds(15));
    assertThat(ask("openai").status()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(15));
    Res refused = ask("openai");

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.header("Retry-After")).isEqualTo("30");
    JsonNode error = refused.json().get("error");
    assertThat(error.get("code").asText()).isEqualTo("RATE_LIMITED");
    assertThat(error.get("details").get("limit").asText()).isEqualTo("target");
    assertThat(error.get("details").get("kind").asText()).isEqualTo("tpm");
    assertThat(texts(trail(refused))).contains("llm_limit refused target tpm");
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(2);
    assertThat(MetricSamples.scrape(e2e.gw()).value("reliapi_llm_limit_refusals_total", "target", "openai",
        "limit", "target", "kind", "tpm")).isEqualTo(1);

    clock.advance(Duration.ofSeconds(30));
    assertThat(ask("openai").status()).isEqualTo(200);
  }

  @Test
  void eachAttemptIsSettledToTheTokensItUsedSoShortAnswersLeaveRoom() {
    answersUsing(2);
    // After k answers 10·k tokens are counted; a reservation of 108 fits under 150 for k ≤ 4.
    start("- {name: team, key_env: TEAM_KEY}", ", limits: {tpm: 150}");
    for (int i = 0; i < 5; i++) {
      assertThat(ask("openai").status()).as("call %d", i + 1).isEqualTo(200);
    }
    assertThat(ask("openai").status()).isEqualTo(429);
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(5);
  }

  @Test
  void aClientsRequestsPerMinuteCountOverAllItsTargetsAndDoNotFallBack() {
    answersUsing(2);
    start("- {name: team, key_env: TEAM_KEY, limits: {rpm: 2}}", "", "fallback_targets: [backup]\n", e2e.up().baseUrl());
    assertThat(ask("openai").status()).isEqualTo(200);
    assertThat(ask("backup").status()).isEqualTo(200);

    Res refused = ask("openai");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.header("Retry-After")).isEqualTo("60");
    assertThat(refused.json().get("error").get("details").get("limit").asText()).isEqualTo("client");
    assertThat(refused.json().get("error").get("details").get("kind").asText()).isEqualTo("rpm");
    assertThat(refused.json().get("meta").get("fallback_used").asBoolean()).isFalse();
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(2);
  }

  @Test
  void aTargetOverItsOwnLimitFallsBackToItsFallbackTarget() {
    answersUsing(2);
    start("- {name: team, key_env: TEAM_KEY}", ", limits: {rpm: 1}", "fallback_targets: [backup]\n", e2e.up().baseUrl());
    assertThat(ask("openai").json().get("meta").get("target").asText()).isEqualTo("openai");

    Res moved = ask("openai");
    assertThat(moved.status()).isEqualTo(200);
    assertThat(moved.json().get("meta").get("fallback_target").asText()).isEqualTo("backup");
    assertThat(texts(trail(moved))).contains("llm_limit refused target rpm", "fallback openai->backup");
  }

  @Test
  void aRequestLargerThanTheWholeMinutesTokensIsRefusedSayingSo() {
    answersUsing(2);
    start("- {name: team, key_env: TEAM_KEY, limits: {tpm: 100}}", "");
    Res refused = ask("openai");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.json().get("error").get("details").get("reason").asText()).isEqualTo("request_exceeds_limit");
    assertThat(e2e.up().count("/v1/chat/completions")).isZero();
  }

  @Test
  void anAttemptThatNeverReachedTheProviderCountsForNothing() {
    int closed = FreePort.refused();
    start("- {name: team, key_env: TEAM_KEY, limits: {rpm: 1}}", "", "", "http://127.0.0.1:" + closed);
    for (int i = 0; i < 3; i++) {
      assertThat(ask("openai").json().get("error").get("code").asText()).isEqualTo("NETWORK_ERROR");
    }
  }

  @Test
  void theClientsRateLimitStillAppliesBesideItsLimits() {
    answersUsing(2);
    start("- {name: team, key_env: TEAM_KEY, rate_limit: {rps: 0.01, burst: 1}, limits: {rpm: 100}}", "");
    assertThat(ask("openai").status()).isEqualTo(200);
    Res limited = ask("openai");
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.json().get("error").get("details")).isNull();
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(1);
  }
}
