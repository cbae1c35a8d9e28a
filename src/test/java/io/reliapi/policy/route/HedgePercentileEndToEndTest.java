package io.reliapi.policy.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp;
import java.time.Duration;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A hedge delay at a percentile of the target's latencies is learnt from what answers take: fast failures do not
 * pull it down, and neither does hedging itself (a cancelled slow attempt counts as at least as slow as it was
 * when cancelled). Time is the test's: each answer's latency is what the scheduler was advanced by.
 */
class HedgePercentileEndToEndTest {
  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = ManualScheduler.manual(clock);
  /** The calls the upstream holds, in the order they came: a hedge comes after its first attempt. */
  private final Deque<MockUpstream.Call> held = new ConcurrentLinkedDeque<>();

  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();

  @BeforeEach
  void start() {
    e2e.up().otherwise("* /a/x", held::add);
    e2e.up().otherwise("* /b/x", held::add);
    e2e.start(GatewayHarness.yaml("""
        targets:
          api:
            base_url: "%1$s/a"
            hedge: {after_percentile: 50}
            retry_budget: {percent: 100, min_per_s: 1000, window_s: 10}
            retry_matrix: {"5xx": {attempts: 1}, net: {attempts: 1}, timeout: {attempts: 1}}
            circuit: {enabled: false}
            deployments: [{name: a}, {name: b, base_url: "%1$s/b"}]
        """.formatted(e2e.up().baseUrl())).clock(clock, scheduler));
  }

  private static void answer(MockUpstream.Call call, int status) {
    Behavior.respond(status, Map.of("Content-Type", "text/plain"), "x").respond(call);
  }

  /** Sends one request, lets {@code latencyMs} pass (less than the delay, so nothing is hedged), then answers it. */
  private void answeredAfter(long latencyMs, int status) throws Exception {
    CompletableFuture<TestHttp.Res> response = e2e.gw().http.getAsync("/t/api/x");
    await().until(() -> held.size() == 1);
    scheduler.advance(Duration.ofMillis(latencyMs));
    answer(held.poll(), status);
    assertThat(response.get().status()).isEqualTo(status);
  }

  /** Fills the window with twenty answers of 100 ms (before it has twenty, nothing is hedged). */
  private void learnAHundredMilliseconds() throws Exception {
    for (int i = 0; i < 20; i++) {
      answeredAfter(100, 200);
    }
  }

  /** Sends one request that hangs, lets 60 ms pass and returns whether a hedge went out; then ends the request. */
  private boolean hedgedBySixtyMilliseconds() throws Exception {
    CompletableFuture<TestHttp.Res> response = e2e.gw().http.getAsync("/t/api/x");
    await().until(() -> held.size() == 1);
    scheduler.advance(Duration.ofMillis(60));
    boolean hedged;
    try {
      await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> held.size() == 1);
      hedged = false;
    } catch (org.awaitility.core.ConditionTimeoutException secondCall) {
      hedged = true;
    }
    answer(held.poll(), 200);
    response.get();
    held.clear();
    return hedged;
  }

  @Test
  void fastFailuresDoNotPullTheDelayDown() throws Exception {
    learnAHundredMilliseconds();
    for (int i = 0; i < 30; i++) {
      answeredAfter(0, 503);
    }
    assertThat(hedgedBySixtyMilliseconds()).as("no hedge before the median answer time, 100 ms").isFalse();
  }

  @Test
  void hedgingDoesNotPullTheDelayDown() throws Exception {
    learnAHundredMilliseconds();
    for (int i = 0; i < 30; i++) {
      // The first attempt hangs; at 100 ms the hedge goes out, answers at once and wins.
      CompletableFuture<TestHttp.Res> response = e2e.gw().http.getAsync("/t/api/x");
      await().until(() -> held.size() == 1);
      scheduler.advance(Duration.ofMillis(100));
      await().until(() -> held.size() == 2);
      answer(held.pollLast(), 200);
      assertThat(response.get().status()).isEqualTo(200);
      held.clear();
    }
    assertThat(hedgedBySixtyMilliseconds()).as("no hedge before the median answer time, 100 ms").isFalse();
  }

  @Test
  void aTargetThatGotFasterIsHedgedSooner() throws Exception {
    learnAHundredMilliseconds();
    for (int i = 0; i < 20; i++) {
      answeredAfter(10, 200);
    }
    assertThat(hedgedBySixtyMilliseconds()).as("the median of 20 × 100 ms and 20 × 10 ms is 10 ms").isTrue();
  }
}
