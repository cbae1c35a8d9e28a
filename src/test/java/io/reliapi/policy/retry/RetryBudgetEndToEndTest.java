package io.reliapi.policy.retry;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp.Res;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The default retry budget (20 % of the requests plus 3 retries a second, over 10 s) against an upstream
 * that fails every attempt, with 200 clients at once on real sockets. The gateway's clock stands still
 * during the storm (backoff is 0, so no wait moves it), which puts every request in one window; moving it
 * past the window shows retries coming back. The breaker is off, so every attempt reaches the upstream.
 */
class RetryBudgetEndToEndTest {
  private static final int CLIENTS = 200;

  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();
  private final ManualClock clock = new ManualClock();

  private void start(String budget) {
    e2e.start(GatewayHarness.yaml("""
        targets:
          api:
            base_url: "%s"
            max_connections: 1000
            circuit: {enabled: false}
            retry_matrix: {"5xx": {attempts: 3, backoff: constant, base_s: 0, max_s: 0}}
        """.formatted(e2e.up().baseUrl()) + budget).clock(clock, ManualScheduler.auto(clock)));
  }

  private List<Res> storm(String path) {
    List<CompletableFuture<Res>> sent = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      sent.add(e2e.gw().http.getAsync("/t/api" + path));
    }
    return sent.stream().map(CompletableFuture::join).toList();
  }

  @Test
  void twoHundredClientsAgainstAFailingUpstreamMakeAtMostTwoHundredSeventyCallsNotSixHundred() {
    e2e.up().otherwise("GET /down", Behavior.status(503));
    start("");

    List<Res> answers = storm("/down");

    assertThat(answers).allSatisfy(r -> assertThat(r.status()).isEqualTo(503));
    int calls = e2e.up().count("/down");
    System.out.printf("%d clients, 3 attempts each, every attempt failing: %d upstream calls (%d retries)%n",
        CLIENTS, calls, calls - CLIENTS);
    assertThat(calls).isGreaterThan(CLIENTS).isLessThanOrEqualTo(CLIENTS + 40 + 30);
    MetricSamples metrics = MetricSamples.scrape(e2e.gw());
    assertThat(metrics.value("reliapi_retries_total", "target", "api")).isEqualTo(calls - CLIENTS);
    assertThat(answers.stream().mapToInt(r -> Integer.parseInt(r.header("X-Retries"))).sum())
        .isEqualTo(calls - CLIENTS);
    // Every request that did not make both its retries was refused one by the budget.
    long allAttempts = answers.stream().filter(r -> r.header("X-Retries").equals("2")).count();
    assertThat(metrics.value("reliapi_retry_budget_exhausted_total", "target", "api"))
        .isEqualTo(CLIENTS - allAttempts);
  }

  @Test
  void retriesResumeOnceTheStormLeftTheWindow() {
    e2e.up().otherwise("GET /down", Behavior.status(503));
    start("");
    storm("/down");

    e2e.up().script("GET /flaky", Behavior.status(503), Behavior.status(503));
    e2e.up().otherwise("GET /flaky", Behavior.status(200));
    Res refused = e2e.gw().http.get("/t/api/flaky");
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.header("X-Retries")).isEqualTo("0");

    clock.advance(Duration.ofSeconds(11));
    Res retried = e2e.gw().http.get("/t/api/flaky");
    assertThat(retried.status()).isEqualTo(200);
    assertThat(retried.header("X-Retries")).isEqualTo("1");
    assertThat(e2e.up().count("/flaky")).isEqualTo(3);
  }

  @Test
  void withTheBudgetOffEveryRequestMakesAllItsAttempts() {
    e2e.up().otherwise("GET /down", Behavior.status(503));
    start("    retry_budget: {enabled: false}\n");

    storm("/down");

    assertThat(e2e.up().count("/down")).isEqualTo(3 * CLIENTS);
  }
}
