package io.reliapi.policy.circuit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The slow-call rule of a breaker against the concurrency limit's queue: a call's time is the upstream's, so
 * attempts that waited for a place behind a healthy upstream are not slow calls of the target. The upstream
 * holds each call until the test moves the manual clock and answers it, so every call takes 300 ms of the
 * gateway's clock, well under {@code slow_call_ms}.
 */
class SlowCallsBehindAQueueEndToEndTest {
  private static final int REQUESTS = 6;
  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = ManualScheduler.manual(clock);
  private final Queue<MockUpstream.Call> held = new ConcurrentLinkedQueue<>();

  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();

  @BeforeEach
  void start() {
    e2e.up().otherwise("* /x", held::add);
    e2e.start(GatewayHarness.yaml("""
        targets:
          api:
            base_url: "%s"
            concurrency: {adaptive: false, max: 1, queue_size: 10, queue_timeout_ms: 60000}
            circuit:
              error_threshold: 100
              cooldown_s: 60
              slow_call_ms: 1000
              slow_call_rate_percent: 40
              window: {type: count, size: 6, min_calls: 6}
        """.formatted(e2e.up().baseUrl())).clock(clock, scheduler));
  }

  @Test
  void attemptsThatWaitedInTheQueueBehindAHealthyUpstreamAreNoSlowCalls() {
    List<CompletableFuture<TestHttp.Res>> sent = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      sent.add(e2e.gw().http.getAsync("/t/api/x"));
    }
    await().until(() -> held.size() == 1
        && MetricSamples.scrape(e2e.gw()).value("reliapi_concurrency_waiting", "target", "api") == REQUESTS - 1);
    for (int i = 0; i < REQUESTS; i++) {
      await().until(() -> !held.isEmpty());
      scheduler.advance(Duration.ofMillis(300));
      Behavior.respond(200, Map.of("Content-Type", "text/plain"), "ok").respond(held.poll());
    }
    assertThat(sent).allSatisfy(r -> assertThat(r.join().status()).isEqualTo(200));

    CompletableFuture<TestHttp.Res> next = e2e.gw().http.getAsync("/t/api/x");
    await().until(() -> !held.isEmpty() || next.isDone());
    assertThat(next).as("the breaker stayed closed: the upstream was never slow").isNotDone();
    Behavior.respond(200, Map.of("Content-Type", "text/plain"), "ok").respond(held.poll());
    assertThat(next.join().status()).isEqualTo(200);
    assertThat(MetricSamples.scrape(e2e.gw()).value("reliapi_circuit_transitions_total", "target", "api")).isZero();
  }
}
