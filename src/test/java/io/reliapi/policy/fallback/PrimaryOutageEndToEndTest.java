package io.reliapi.policy.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.TestHttp.Res;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 item 7 (failoverbench S15): while the primary is down, every streamed request is answered by the
 * fallback and the primary gets at most one trial per cooldown (the breaker's half-open probe); once it is back,
 * it answers again within one cooldown. Time is a manual clock; the requests are real.
 */
class PrimaryOutageEndToEndTest {
  static final String CHAT = "POST /v1/chat/completions";
  static final int COOLDOWN_S = 30;
  private final ManualClock clock = new ManualClock();
  private MockUpstream primary;
  private MockUpstream backup;
  private GatewayHarness gw;

  @BeforeEach
  void start() {
    primary = MockUpstream.start();
    backup = MockUpstream.start();
    gw = GatewayHarness.yaml("""
        targets:
          primary:
            base_url: "%1$s/v1"
            retry_matrix: {"5xx": {attempts: 2, backoff: constant, base_s: 0.1}}
            circuit: {error_threshold: 3, cooldown_s: %3$d}
            llm: {provider: openai, default_model: gpt-4o-mini}
            fallback_targets: [backup]
          backup:
            base_url: "%2$s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini}
        """.formatted(primary.baseUrl(), backup.baseUrl(), COOLDOWN_S)).clock(clock, ManualScheduler.auto(clock))
        .start();
    primary.otherwise(CHAT, Behavior.json(503, "{\"error\":{\"message\":\"The engine is currently overloaded.\","
        + "\"type\":\"server_error\",\"code\":\"overloaded\"}}"));
    backup.otherwise(CHAT, healthy());
  }

  @AfterEach
  void stop() {
    gw.close();
    primary.close();
    backup.close();
  }

  static Behavior healthy() {
    return LlmBehaviors.sse(LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel", "lo"), 9, 2), 1);
  }

  Res ask() {
    return gw.http.post("/v1/chat/completions", "{\"model\": \"primary/gpt-4o-mini\", \"stream\": true, "
        + "\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
  }

  @Test
  void duringAnOutageTheFallbackAnswersAndThePrimaryGetsOneTrialPerCooldownThenServesAgainAfterRecovery() {
    List<Integer> primaryCallsPerCooldown = new ArrayList<>();
    int seen = 0;
    // Two minutes of outage, a request every 5 s: four cooldowns.
    for (int cooldown = 0; cooldown < 4; cooldown++) {
      for (int i = 0; i < COOLDOWN_S / 5; i++) {
        Res res = ask();
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.header("X-ReliAPI-Target")).isEqualTo("backup");
        assertThat(res.body()).contains("[DONE]");
        clock.advance(Duration.ofSeconds(5));
      }
      int calls = primary.count("/v1/chat/completions");
      primaryCallsPerCooldown.add(calls - seen);
      seen = calls;
    }
    // Until the breaker opens the primary is tried (3 failures); after that, one half-open trial per cooldown.
    assertThat(primaryCallsPerCooldown.getFirst()).isEqualTo(3);
    assertThat(primaryCallsPerCooldown.subList(1, 4)).containsOnly(1);

    primary.otherwise(CHAT, healthy());
    List<String> answeredBy = new ArrayList<>();
    for (int i = 0; i < COOLDOWN_S / 5 + 2; i++) {
      answeredBy.add(ask().header("X-ReliAPI-Target"));
      clock.advance(Duration.ofSeconds(5));
    }
    assertThat(answeredBy.indexOf("primary")).as("back within one cooldown of recovering: %s", answeredBy)
        .isBetween(0, COOLDOWN_S / 5);
    assertThat(answeredBy.subList(answeredBy.indexOf("primary"), answeredBy.size())).containsOnly("primary");
  }

  @Test
  void concurrentRequestsWhileHalfOpenSendOnlyOneTrialToThePrimary() throws Exception {
    for (int i = 0; i < 3; i++) {
      ask();
    }
    assertThat(primary.count("/v1/chat/completions")).isEqualTo(3);
    clock.advance(Duration.ofSeconds(COOLDOWN_S));
    primary.otherwise(CHAT, Behavior.delayed(300, Behavior.json(503, "{\"error\":{\"type\":\"server_error\"}}")));
    List<CompletableFuture<Res>> sent = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      sent.add(gw.http.postAsync("/v1/chat/completions", "{\"model\": \"primary/gpt-4o-mini\", \"stream\": true, "
          + "\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}"));
    }
    for (CompletableFuture<Res> res : sent) {
      assertThat(res.get().header("X-ReliAPI-Target")).isEqualTo("backup");
    }
    assertThat(primary.count("/v1/chat/completions")).as("one trial in the half-open state").isEqualTo(4);
  }
}
