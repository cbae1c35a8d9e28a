package io.reliapi.policy.circuit;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp;
import io.reliapi.testing.TestYaml;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The breaker per target, against the real gateway; time is a manual clock, nothing sleeps. */
class CircuitBreakerEndToEndTest {
  private final ManualClock clock = new ManualClock();

  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();

  private void start(String circuit, String retryMatrix) {
    e2e.start(GatewayHarness.yaml("""
        targets:
          api: {base_url: "%1$s", circuit: %2$s, %3$s}
          other: {base_url: "%1$s", circuit: %2$s, %3$s}
          quick: {base_url: "%1$s", timeout_ms: 200, circuit: %2$s, %3$s}
        """.formatted(e2e.up().baseUrl(), circuit, retryMatrix)).clock(clock, ManualScheduler.auto(clock)));
  }

  private TestHttp.Res get(String path) {
    return e2e.gw().http.get("/t/api" + path);
  }

  private double metric(String name, String... labels) {
    return MetricSamples.scrape(e2e.gw()).value(name, labels);
  }

  private void openWithThree503s() {
    e2e.up().otherwise("* /fail", Behavior.status(503));
    for (int i = 0; i < 3; i++) {
      assertThat(get("/fail").status()).isEqualTo(503);
    }
  }

  @Test
  void opensAfterThresholdConsecutiveFailuresAndFailsFastWithoutAnUpstreamCall() {
    start("{error_threshold: 3, cooldown_s: 30}", TestYaml.NO_RETRIES);
    assertThat(metric("reliapi_circuit_state", "target", "api")).isZero();
    openWithThree503s();
    var r = get("/fail");
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(r.json().get("code").asText()).isEqualTo("CIRCUIT_OPEN");
    assertThat(r.header("Retry-After")).isEqualTo("30");
    assertThat(r.json().get("retry_after_s").asInt()).isEqualTo(30);
    assertThat(e2e.up().count("/fail")).isEqualTo(3);
    assertThat(metric("reliapi_circuit_state", "target", "api")).isEqualTo(1.0);
    assertThat(metric("reliapi_circuit_transitions_total", "target", "api", "from", "closed", "to", "open"))
        .isEqualTo(1.0);

    var envelope = e2e.gw().http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/fail\"}");
    assertThat(envelope.status()).isEqualTo(503);
    assertThat(envelope.json().get("error").get("code").asText()).isEqualTo("CIRCUIT_OPEN");
    assertThat(envelope.header("Retry-After")).isEqualTo("30");
    assertThat(e2e.up().count("/fail")).isEqualTo(3);
  }

  @Test
  void reportsTheCooldownLeftAsRetryAfter() {
    start("{error_threshold: 3, cooldown_s: 30}", TestYaml.NO_RETRIES);
    openWithThree503s();
    clock.advance(Duration.ofMillis(12_300));
    assertThat(get("/fail").header("Retry-After")).isEqualTo("18");
  }

  @Test
  void countsNetworkErrorsAndTimeoutsAsFailures() {
    start("{error_threshold: 3, cooldown_s: 30}", TestYaml.NO_RETRIES);
    e2e.up().script("* /faults", Behavior.reset(), Behavior.silence(), Behavior.reset());
    assertThat(e2e.gw().http.get("/t/quick/faults").status()).isEqualTo(502);
    assertThat(e2e.gw().http.get("/t/quick/faults").status()).isEqualTo(504);
    assertThat(e2e.gw().http.get("/t/quick/faults").status()).isEqualTo(502);
    assertThat(e2e.gw().http.get("/t/quick/faults").json().get("code").asText()).isEqualTo("CIRCUIT_OPEN");
    assertThat(e2e.up().count("/faults")).isEqualTo(3);
  }

  @Test
  void neverCountsClientErrorsOr429() {
    start("{error_threshold: 3, cooldown_s: 30}", TestYaml.NO_RETRIES);
    e2e.up().otherwise("* /missing", Behavior.status(404));
    e2e.up().otherwise("* /limited", Behavior.status(429));
    for (int i = 0; i < 10; i++) {
      assertThat(get("/missing").status()).isEqualTo(404);
      assertThat(get("/limited").status()).isEqualTo(429);
    }
    assertThat(e2e.up().count("/missing")).isEqualTo(10);
    assertThat(e2e.up().count("/limited")).isEqualTo(10);
    assertThat(metric("reliapi_circuit_state", "target", "api")).isZero();
  }

  @Test
  void needsTheFailuresToBeConsecutive() {
    start("{error_threshold: 3, cooldown_s: 30}", TestYaml.NO_RETRIES);
    e2e.up().script("* /mixed", Behavior.status(503), Behavior.status(503), Behavior.status(400),
        Behavior.status(503), Behavior.status(503), Behavior.status(429), Behavior.status(503), Behavior.status(200));
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      statuses.add(get("/mixed").status());
    }
    // The 400 breaks the run; the 429 neither breaks nor extends it, so the third 503 after the 400 opens.
    assertThat(statuses).containsExactly(503, 503, 400, 503, 503, 429, 503, 503);
    assertThat(e2e.up().count("/mixed")).isEqualTo(7);
  }

  @Test
  void countsEveryRetryAttempt() {
    start("{error_threshold: 3, cooldown_s: 30}",
        "retry_matrix: {\"5xx\": {attempts: 3, backoff: constant, base_s: 0.01}}");
    e2e.up().otherwise("* /fail", Behavior.status(503));
    var first = get("/fail");
    assertThat(first.status()).isEqualTo(503);
    assertThat(first.header("X-Retries")).isEqualTo("2");
    assertThat(e2e.up().count("/fail")).isEqualTo(3);
    assertThat(get("/fail").json().get("code").asText()).isEqualTo("CIRCUIT_OPEN");
    assertThat(e2e.up().count("/fail")).isEqualTo(3);
  }

  @Test
  void halfOpensAfterTheCooldownAndClosesOnASuccessfulTrial() {
    start("{error_threshold: 3, cooldown_s: 30}", TestYaml.NO_RETRIES);
    openWithThree503s();
    clock.advance(Duration.ofSeconds(29));
    assertThat(get("/fail").json().get("code").asText()).isEqualTo("CIRCUIT_OPEN");
    clock.advance(Duration.ofMillis(1001));
    e2e.up().otherwise("* /fail", Behavior.status(200));
    assertThat(get("/fail").status()).isEqualTo(200);
    assertThat(metric("reliapi_circuit_state", "target", "api")).isZero();
    for (int i = 0; i < 5; i++) {
      assertThat(get("/fail").status()).isEqualTo(200);
    }
    assertThat(e2e.up().count("/fail")).isEqualTo(3 + 6);
    assertThat(metric("reliapi_circuit_transitions_total", "target", "api", "from", "open", "to", "half_open"))
        .isEqualTo(1.0);
    assertThat(metric("reliapi_circuit_transitions_total", "target", "api", "from", "half_open", "to", "closed"))
        .isEqualTo(1.0);
  }

  @Test
  void reopensForAnotherCooldownOnAFailedTrial() {
    start("{error_threshold: 3, cooldown_s: 30}", TestYaml.NO_RETRIES);
    openWithThree503s();
    clock.advance(Duration.ofSeconds(31));
    assertThat(get("/fail").status()).as("the trial reaches the upstream").isEqualTo(503);
    assertThat(e2e.up().count("/fail")).isEqualTo(4);
    var r = get("/fail");
    assertThat(r.json().get("code").asText()).isEqualTo("CIRCUIT_OPEN");
    assertThat(r.header("Retry-After")).isEqualTo("30");
    assertThat(e2e.up().count("/fail")).isEqualTo(4);
    assertThat(metric("reliapi_circuit_state", "target", "api")).isEqualTo(1.0);
    assertThat(metric("reliapi_circuit_transitions_total", "target", "api", "from", "half_open", "to", "open"))
        .isEqualTo(1.0);
  }

  @Test
  void letsOnlyHalfOpenCallsTrialsThroughAtOnce() throws Exception {
    start("{error_threshold: 3, cooldown_s: 30, half_open_calls: 2}", TestYaml.NO_RETRIES);
    openWithThree503s();
    clock.advance(Duration.ofSeconds(31));
    e2e.up().otherwise("* /fail", Behavior.delayed(300, Behavior.status(200)));
    List<CompletableFuture<TestHttp.Res>> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      calls.add(e2e.gw().http.getAsync("/t/api/fail"));
    }
    List<Integer> statuses = new ArrayList<>();
    for (var call : calls) {
      statuses.add(call.get().status());
    }
    assertThat(statuses).as(statuses.toString()).filteredOn(s -> s.intValue() == 200).hasSize(2);
    assertThat(statuses).filteredOn(s -> s.intValue() == 503).hasSize(4);
    assertThat(e2e.up().count("/fail")).isEqualTo(3 + 2);
    assertThat(metric("reliapi_circuit_state", "target", "api")).isZero();
  }

  @Test
  void keepsEachTargetsBreakerToItself() {
    start("{error_threshold: 3, cooldown_s: 30}", TestYaml.NO_RETRIES);
    openWithThree503s();
    e2e.up().otherwise("* /fine", Behavior.status(200));
    assertThat(e2e.gw().http.get("/t/other/fine").status()).isEqualTo(200);
    assertThat(metric("reliapi_circuit_state", "target", "other")).isZero();
  }

  @Test
  void neverOpensWhenDisabled() {
    start("{enabled: false, error_threshold: 3}", TestYaml.NO_RETRIES);
    e2e.up().otherwise("* /fail", Behavior.status(503));
    for (int i = 0; i < 10; i++) {
      assertThat(get("/fail").status()).isEqualTo(503);
    }
    assertThat(e2e.up().count("/fail")).isEqualTo(10);
    assertThat(MetricSamples.scrape(e2e.gw()).value("reliapi_circuit_state", "target", "api")).isZero();
  }
}
