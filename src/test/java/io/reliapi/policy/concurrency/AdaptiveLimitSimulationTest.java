package io.reliapi.policy.concurrency;

import static io.reliapi.config.ClientConfig.Priority.BATCH;
import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.ConcurrencyConfig;
import io.reliapi.testing.ManualClock;
import java.time.Duration;
import java.util.PriorityQueue;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;

/**
 * The adaptive limit against a simulated upstream, in simulated time (a manual clock), so what is shown is
 * the algorithm's own behaviour, free of the machine's scheduling noise. 200 batch clients send one request
 * after another, each waiting in the limiter's queue for its place; an answer's latency depends on how many
 * requests the upstream holds when it arrives.
 */
class AdaptiveLimitSimulationTest {
  private static final long BASE_MS = 100;
  private static final int KNEE = 20;
  /** 100 ms up to 20 requests held; beyond, the latency doubles with every four more. */
  private static final IntToLongFunction STEEP = held ->
      (long) (BASE_MS * (held <= KNEE ? 1 : Math.pow(2, (held - KNEE) / 4.0)));

  private final ManualClock clock = new ManualClock();
  private final PriorityQueue<Answer> answers = new PriorityQueue<>((a, b) -> Long.compare(a.atMs, b.atMs));
  private TargetLimiter limiter;
  private IntToLongFunction upstream;
  private long nowMs;
  private int holding;
  private Run measured;

  private record Answer(long atMs, long startMs, long latencyMs, Waiter waiter) {}

  /** What was seen after the warm-up: the limit's range, the most the upstream held, the latencies. */
  private static final class Run {
    int lowestLimit = Integer.MAX_VALUE;
    int highestLimit;
    int mostHeld;
    long answers;
    long latencySumMs;

    double meanLatencyMs() {
      return (double) latencySumMs / answers;
    }
  }

  private Run simulate(IntToLongFunction latency, long warmUpMs, long untilMs) {
    limiter = new TargetLimiter(new ConcurrencyConfig(true, 5, 200, 1_000, 3_600_000), clock);
    upstream = latency;
    Run run = new Run();
    for (int i = 0; i < 200; i++) {
      send();
    }
    while (nowMs < untilMs) {
      Answer next = answers.poll();
      clock.advance(Duration.ofMillis(next.atMs - nowMs));
      nowMs = next.atMs;
      holding--;
      if (nowMs > warmUpMs) {
        measured = run;
        run.answers++;
        run.latencySumMs += next.latencyMs;
        run.lowestLimit = Math.min(run.lowestLimit, limiter.limit());
        run.highestLimit = Math.max(run.highestLimit, limiter.limit());
      }
      // Whole answers: their head is their end, so the sample and the place's release come together.
      next.waiter.sample(clock.nanoTime() - (nowMs - next.startMs) * 1_000_000L, next.latencyMs * 1_000_000L);
      next.waiter.release();
      send();
    }
    System.out.printf("after %d s: limit %d..%d, the upstream held at most %d, mean latency %.0f ms%n",
        warmUpMs / 1000, run.lowestLimit, run.highestLimit, run.mostHeld, run.meanLatencyMs());
    return run;
  }

  /** A client sends its next request: it runs now if the limiter admits it, or when a place frees. */
  private void send() {
    Waiter waiter = limiter.enter(BATCH, true);
    waiter.admitted().onSuccess(v -> {
      holding++;
      if (measured != null) {
        measured.mostHeld = Math.max(measured.mostHeld, holding);
      }
      long latency = upstream.applyAsLong(holding);
      answers.add(new Answer(nowMs + latency, nowMs, latency, waiter));
    });
  }

  @Test
  void theLimitClimbsToTheUpstreamsKneeAndHoldsThereWithoutCreepingForAnHour() {
    Run run = simulate(STEEP, 20_000, 3_600_000);
    assertThat(run.lowestLimit).isGreaterThanOrEqualTo(KNEE - 2);
    assertThat(run.highestLimit).isLessThanOrEqualTo(KNEE + 4);
    assertThat(run.mostHeld).isLessThanOrEqualTo(KNEE + 3);
    assertThat(run.meanLatencyMs()).isLessThan(1.5 * BASE_MS);
  }

  @Test
  void anUpstreamThatBecameSlowerForGoodGetsItsLimitBackWithinMinutes() {
    // After 5 minutes the upstream is four times slower at every load: the limit falls, then the baseline
    // follows from the answers at the minimum and the limit climbs back to the same knee.
    Run run = simulate(held -> (nowMs < 300_000 ? 1 : 4) * STEEP.applyAsLong(held), 600_000, 900_000);
    assertThat(run.lowestLimit).isGreaterThanOrEqualTo(KNEE - 2);
    assertThat(run.mostHeld).isLessThanOrEqualTo(KNEE + 3);
  }

  @Test
  void anUpstreamThatIsSlowEvenWhenIdleIsNotMistakenForAnOverloadedOne() {
    // Four times slower at every load, from the start: the baseline is its own idle latency.
    Run run = simulate(held -> 4 * STEEP.applyAsLong(held), 60_000, 600_000);
    assertThat(run.lowestLimit).isGreaterThanOrEqualTo(KNEE - 2);
    assertThat(run.mostHeld).isLessThanOrEqualTo(KNEE + 3);
  }
}
