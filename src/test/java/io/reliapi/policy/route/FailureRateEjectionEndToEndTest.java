package io.reliapi.policy.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.PerTestGatewayExtension;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each deployment has its own breaker: one answering 30% 5xx (never two in a row, so the consecutive rule never
 * fires) is ejected by the failure-rate window while its siblings keep serving, and no client sees a failure.
 */
class FailureRateEjectionEndToEndTest {
  private static final int REQUESTS = 200;
  private final ManualClock clock = new ManualClock();

  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();

  @BeforeEach
  void start() {
    AtomicInteger calls = new AtomicInteger();
    // Calls 2, 5 and 8 of every ten fail: 30%.
    e2e.up().otherwise("* /a/x", call -> {
      int n = calls.incrementAndGet() % 10;
      (n == 2 || n == 5 || n == 8 ? Behavior.status(503) : Behavior.status(200)).respond(call);
    });
    e2e.start(GatewayHarness.yaml("""
        targets:
          api:
            base_url: "%1$s/a"
            retry_matrix: {"5xx": {attempts: 2}}
            circuit:
              error_threshold: 5
              cooldown_s: 60
              failure_rate_percent: 20
              window: {type: count, size: 20, min_calls: 10}
            deployments: [{name: a}, {name: b, base_url: "%1$s/b"}, {name: c, base_url: "%1$s/c"}]
        """.formatted(e2e.up().baseUrl())).clock(clock, ManualScheduler.auto(clock)));
  }

  @Test
  void aDeploymentAnswering30PercentServerErrorsIsEjectedWhileItsSiblingsKeepServing() {
    for (int i = 0; i < REQUESTS; i++) {
      assertThat(e2e.gw().http.get("/t/api/x").status()).as("request " + i).isEqualTo(200);
    }
    assertThat(e2e.up().count("/a/x")).as("a's window filled at ten calls, three failed: it opened").isEqualTo(10);
    int b = e2e.up().count("/b/x");
    int c = e2e.up().count("/c/x");
    assertThat(b + c).as("every request once, plus the three retries of a's failures, minus a's ten").isEqualTo(REQUESTS + 3 - 10);
    assertThat(Math.abs(b - c)).isLessThanOrEqualTo(2);

    MetricSamples metrics = MetricSamples.scrape(e2e.gw());
    assertThat(metrics.value("reliapi_circuit_state", "target", "api", "deployment", "a")).isEqualTo(1.0);
    assertThat(metrics.value("reliapi_circuit_state", "target", "api", "deployment", "b")).isZero();
    assertThat(metrics.value("reliapi_circuit_state", "target", "api", "deployment", "c")).isZero();
    assertThat(metrics.value("reliapi_deployment_ejections_total", "target", "api", "deployment", "a",
        "reason", "failure_rate")).isEqualTo(1.0);
    assertThat(metrics.value("reliapi_retries_total", "target", "api", "class", "5xx")).isEqualTo(3.0);
    System.out.printf("failure-rate ejection: a %d calls (3 failed) then ejected; b %d, c %d; %d of %d requests ok%n",
        e2e.up().count("/a/x"), b, c, REQUESTS, REQUESTS);
  }
}
