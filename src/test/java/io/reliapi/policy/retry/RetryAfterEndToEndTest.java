package io.reliapi.policy.retry;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code Retry-After} on a 429 or 503: honoured when it fits max_s and the deadline, else passed straight back. */
class RetryAfterEndToEndTest {
  private static final ManualClock CLOCK = new ManualClock();
  private static final ManualScheduler SCHEDULER = ManualScheduler.auto(CLOCK);

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(upstream -> GatewayHarness.yaml("""
      targets:
        api:
          base_url: "%1$s"
          circuit: {enabled: false}
          deadline_ms: 20000
          retry_matrix:
            "429": {attempts: 3, backoff: exp, base_s: 0.1, max_s: 10}
            "5xx": {attempts: 3, backoff: exp, base_s: 0.1, max_s: 10}
        llm:
          base_url: "%1$s/v1"
          circuit: {enabled: false}
          retry_matrix: {"429": {attempts: 3, backoff: exp, base_s: 0.1, max_s: 10}}
          llm: {provider: openai, default_model: gpt-4o-mini}
      """.formatted(upstream.baseUrl())).clock(CLOCK, SCHEDULER));

  private static List<Long> delaysAfter(int before) {
    List<Long> all = SCHEDULER.requestedDelaysMs();
    return all.subList(before, all.size());
  }

  @Test
  void waitsTheSecondsA429AsksForInsteadOfTheBackoff() {
    e2e.up().script("* /seconds", Behavior.respond(429, Map.of("Retry-After", "2"), ""), Behavior.status(200));
    int before = SCHEDULER.requestedDelaysMs().size();
    assertThat(e2e.gw().http.get("/t/api/seconds").status()).isEqualTo(200);
    assertThat(delaysAfter(before)).containsExactly(2000L);
    assertThat(e2e.up().count("/seconds")).isEqualTo(2);
  }

  @Test
  void waitsTheSecondsAnLlmProviders429AsksForWhateverTheCaseOfTheHeaderName() {
    // HTTP/1.1 providers spell it "Retry-After"; the LLM attempt keeps provider headers by their name.
    e2e.up().script("POST /v1/chat/completions", Behavior.respond(429, Map.of("Retry-After", "2"), ""),
        LlmBehaviors.openAi("gpt-4o-mini", "Hi", 9, 1));
    int before = SCHEDULER.requestedDelaysMs().size();
    var r = e2e.gw().http.post("/v1/chat/completions",
        "{\"model\": \"llm/gpt-4o-mini\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(delaysAfter(before)).containsExactly(2000L);
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(2);
  }

  @Test
  void waitsUntilTheHttpDateA503Names() {
    // HTTP dates have whole seconds: the wait is what is left until that second, read on the gateway's clock.
    var at = CLOCK.now().plus(Duration.ofSeconds(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    long expected = at.toEpochMilli() - CLOCK.now().toEpochMilli();
    String inThreeSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(at.atOffset(ZoneOffset.UTC));
    e2e.up().script("* /date", Behavior.respond(503, Map.of("Retry-After", inThreeSeconds), ""),
        Behavior.status(200));
    int before = SCHEDULER.requestedDelaysMs().size();
    assertThat(e2e.gw().http.get("/t/api/date").status()).isEqualTo(200);
    assertThat(delaysAfter(before)).containsExactly(expected);
    assertThat(expected).isBetween(2001L, 3000L);
  }

  @Test
  void returnsA429AtOnceWithItsRetryAfterWhenItExceedsMax() {
    e2e.up().script("* /too-long", Behavior.respond(429, Map.of("Retry-After", "120"), "slow down"));
    int before = SCHEDULER.requestedDelaysMs().size();
    var r = e2e.gw().http.get("/t/api/too-long");
    assertThat(r.status()).isEqualTo(429);
    assertThat(r.header("Retry-After")).isEqualTo("120");
    assertThat(r.body()).isEqualTo("slow down");
    assertThat(e2e.up().count("/too-long")).isEqualTo(1);
    assertThat(delaysAfter(before)).isEmpty();
  }

  @Test
  void keepsTheRetryAfterInTheEnvelopeToo() {
    e2e.up().script("* /too-long-envelope", Behavior.respond(429, Map.of("Retry-After", "60"), ""));
    var r = e2e.gw().http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/too-long-envelope\"}");
    assertThat(r.status()).isEqualTo(429);
    assertThat(r.header("Retry-After")).isEqualTo("60");
    assertThat(r.json().get("error").get("retry_after_s").asLong()).isEqualTo(60);
    assertThat(r.json().get("meta").get("retries").asInt()).isZero();
    assertThat(e2e.up().count("/too-long-envelope")).isEqualTo(1);
  }

  @Test
  void anHttpDateRetryAfterBecomesSecondsInTheErrorObject() {
    var at = CLOCK.now().plus(Duration.ofSeconds(120)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    long leftMs = at.toEpochMilli() - CLOCK.now().toEpochMilli();
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(at.atOffset(ZoneOffset.UTC));
    e2e.up().script("* /date-envelope", Behavior.respond(429, Map.of("Retry-After", date), ""));
    var r = e2e.gw().http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/date-envelope\"}");
    assertThat(r.status()).isEqualTo(429);
    assertThat(r.header("Retry-After")).isEqualTo(date);
    assertThat(r.json().get("error").get("retry_after_s").asLong()).isEqualTo((leftMs + 999) / 1000);
    assertThat(e2e.up().count("/date-envelope")).isEqualTo(1);
  }

  @Test
  void returnsA503AtOnceWhenItsRetryAfterDoesNotFitTheDeadline() {
    // 9 s is within max_s (10 s), but the deadline (20 s) is already mostly spent by a slow first attempt.
    e2e.up().script("* /late", call -> {
      CLOCK.advance(Duration.ofSeconds(12));
      Behavior.respond(503, Map.of("Retry-After", "9"), "").respond(call);
    });
    int before = SCHEDULER.requestedDelaysMs().size();
    var r = e2e.gw().http.get("/t/api/late");
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.header("Retry-After")).isEqualTo("9");
    assertThat(e2e.up().count("/late")).isEqualTo(1);
    assertThat(delaysAfter(before)).isEmpty();
  }

  @Test
  void usesTheOrdinaryBackoffWhenRetryAfterIsMalformed() {
    e2e.up().script("* /soon", Behavior.respond(429, Map.of("Retry-After", "soon"), ""), Behavior.status(200));
    int before = SCHEDULER.requestedDelaysMs().size();
    assertThat(e2e.gw().http.get("/t/api/soon").status()).isEqualTo(200);
    assertThat(delaysAfter(before)).containsExactly(100L);
  }
}
