package io.reliapi.policy.concurrency;

import static io.reliapi.config.ClientConfig.Priority.BATCH;
import static io.reliapi.config.ClientConfig.Priority.INTERACTIVE;
import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.ConcurrencyConfig;
import io.reliapi.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TargetLimiterTest {
  private static final long MS = 1_000_000L;
  private final ManualClock clock = new ManualClock();

  private TargetLimiter fixed(int limit, int queue) {
    return new TargetLimiter(new ConcurrencyConfig(false, 1, limit, queue, 1000), clock);
  }

  private static boolean admitted(Waiter w) {
    return w.admitted().succeeded();
  }

  @Test
  void attemptsOverTheLimitWaitAndTakeFreedPlacesInteractiveFirstThenInOrder() {
    TargetLimiter limiter = fixed(3, 10);
    Waiter a = limiter.enter(BATCH, true);
    Waiter b = limiter.enter(BATCH, true);
    Waiter batch1 = limiter.enter(BATCH, true);
    Waiter batch2 = limiter.enter(BATCH, true);
    Waiter interactive = limiter.enter(INTERACTIVE, true);
    assertThat(List.of(a, b, interactive)).allMatch(TargetLimiterTest::admitted);
    assertThat(List.of(batch1, batch2)).noneMatch(Waiter::decided);
    Waiter second = limiter.enter(INTERACTIVE, true);
    assertThat(second.decided()).isFalse();

    a.release();
    assertThat(admitted(second)).isTrue();
    assertThat(batch1.decided()).isFalse();
    b.release();
    // Batch attempts leave free as many places as interactive ones were in flight, plus one (2 of 3 here):
    // with two interactive ones holding places, the place b left stays free for the next interactive one.
    assertThat(batch1.decided()).isFalse();
    interactive.release();
    // The reserve follows the most interactive attempts of this second and the one before: still two.
    assertThat(batch1.decided()).isFalse();
    clock.advance(Duration.ofSeconds(2));
    second.release();
    assertThat(List.of(batch1, batch2)).allMatch(TargetLimiterTest::admitted);
    assertThat(limiter.inFlight()).isEqualTo(2);
  }

  @Test
  void withoutInteractiveTrafficBatchGetsAllPlacesButOne() {
    TargetLimiter limiter = fixed(10, 10);
    List<Waiter> waiters = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      waiters.add(limiter.enter(BATCH, true));
    }
    assertThat(waiters.stream().filter(TargetLimiterTest::admitted).count()).isEqualTo(9);
    assertThat(admitted(limiter.enter(INTERACTIVE, true))).isTrue();
  }

  @Test
  void aFullQueueShedsBatchAttemptsAndLetsAnInteractiveOneTakeTheLastBatchPlace() {
    TargetLimiter limiter = fixed(2, 2);
    limiter.enter(INTERACTIVE, true);
    limiter.enter(INTERACTIVE, true);
    Waiter first = limiter.enter(BATCH, true);
    Waiter last = limiter.enter(BATCH, true);
    Waiter overflow = limiter.enter(BATCH, true);
    assertThat(overflow.shedReason()).isEqualTo(Waiter.QUEUE_FULL);

    Waiter interactive = limiter.enter(INTERACTIVE, true);
    assertThat(interactive.decided()).isFalse();
    assertThat(last.shedReason()).isEqualTo(Waiter.DISPLACED);
    assertThat(last.admitted().failed()).isTrue();
    assertThat(first.decided()).isFalse();
    assertThat(limiter.enter(INTERACTIVE, true).decided()).isFalse();
    assertThat(first.shedReason()).isEqualTo(Waiter.DISPLACED);
    assertThat(limiter.enter(INTERACTIVE, true).shedReason()).isEqualTo(Waiter.QUEUE_FULL);
  }

  @Test
  void anAttemptWithoutTimeLeftIsShedInsteadOfQueued() {
    TargetLimiter limiter = fixed(1, 10);
    assertThat(admitted(limiter.enter(INTERACTIVE, false))).isTrue();
    assertThat(limiter.enter(INTERACTIVE, false).shedReason()).isEqualTo(Waiter.DEADLINE);
  }

  @Test
  void aWaiterLeavesTheQueueOnceAndNotAfterItWasAdmitted() {
    TargetLimiter limiter = fixed(2, 10);
    Waiter holder = limiter.enter(BATCH, true);
    Waiter gone = limiter.enter(BATCH, true);
    Waiter next = limiter.enter(BATCH, true);
    assertThat(limiter.leave(gone, Waiter.QUEUE_TIMEOUT)).isTrue();
    assertThat(gone.shedReason()).isEqualTo(Waiter.QUEUE_TIMEOUT);
    assertThat(limiter.leave(gone, Waiter.QUEUE_TIMEOUT)).isFalse();
    holder.release();
    assertThat(admitted(next)).isTrue();
    assertThat(limiter.leave(next, Waiter.QUEUE_TIMEOUT)).isFalse();
  }

  @Test
  void aLatencySampledAtTheAnswersHeadGrowsTheLimitWhileThePlaceIsStillHeld() {
    TargetLimiter limiter = new TargetLimiter(new ConcurrencyConfig(true, 1, 10, 10, 1000), clock);
    long start = clock.nanoTime();
    Waiter streaming = limiter.enter(INTERACTIVE, true);
    Waiter next = limiter.enter(INTERACTIVE, true);
    assertThat(next.decided()).isFalse();

    clock.advance(Duration.ofMillis(100));
    streaming.sample(start, 100 * MS);
    assertThat(limiter.limit()).isEqualTo(2);
    assertThat(admitted(next)).as("the grown limit's new place is taken at once").isTrue();
    assertThat(limiter.inFlight()).isEqualTo(2);
    streaming.release();
    assertThat(limiter.inFlight()).isEqualTo(1);
  }

  @Test
  void aPlaceIsGivenBackOnlyOnce() {
    TargetLimiter limiter = fixed(3, 10);
    Waiter w = limiter.enter(BATCH, true);
    limiter.enter(BATCH, true);
    w.release();
    w.release();
    assertThat(limiter.inFlight()).isEqualTo(1);
  }

  @Test
  void anAdaptiveLimitGrowsWhileLatencyStaysAtTheBaselineAndIsCutWhenItClimbs() {
    TargetLimiter limiter = new TargetLimiter(new ConcurrencyConfig(true, 4, 100, 100, 1000), clock);
    for (int round = 0; round < 6; round++) {
      runRound(limiter, 100 * MS);
    }
    assertThat(limiter.limit()).isEqualTo(10);

    runRound(limiter, 300 * MS);
    assertThat(limiter.limit()).isEqualTo(5);
  }

  /** Fills every place (and one more waiting), then lets every attempt end after {@code latencyNanos}. */
  private void runRound(TargetLimiter limiter, long latencyNanos) {
    long start = clock.nanoTime();
    List<Waiter> waiters = new ArrayList<>();
    for (int i = 0; i <= limiter.limit(); i++) {
      waiters.add(limiter.enter(BATCH, true));
    }
    clock.advance(Duration.ofNanos(latencyNanos));
    for (Waiter w : waiters) {
      if (w.decided()) {
        w.sample(start, latencyNanos);
        w.release();
      } else {
        limiter.leave(w, Waiter.QUEUE_TIMEOUT);
      }
    }
  }

  @Test
  void concurrentAttemptsNeverHoldMorePlacesThanTheLimitAndAllEnd() throws Exception {
    TargetLimiter limiter = fixed(8, 100_000);
    AtomicInteger holding = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < 2_000; i++) {
            Waiter w = limiter.enter(i % 3 == 0 ? INTERACTIVE : BATCH, true);
            w.admitted().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            most.accumulateAndGet(holding.incrementAndGet(), Math::max);
            holding.decrementAndGet();
            w.release();
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(most.get()).isBetween(1, 8);
    assertThat(limiter.inFlight()).isZero();
    assertThat(limiter.waiting()).isZero();
  }

  @Test
  void aReconfiguredLimitCountsThePlacesHeldAndKeepsTheQueue() {
    TargetLimiter limiter = fixed(2, 10);
    Waiter a = limiter.enter(INTERACTIVE, true);
    Waiter b = limiter.enter(INTERACTIVE, true);
    Waiter waiting = limiter.enter(INTERACTIVE, true);

    limiter.reconfigure(new ConcurrencyConfig(false, 1, 1, 10, 1000));
    assertThat(limiter.limit()).isEqualTo(1);
    assertThat(limiter.inFlight()).isEqualTo(2);
    assertThat(limiter.waiting()).isEqualTo(1);
    a.release();
    assertThat(waiting.decided()).isFalse();
    b.release();
    assertThat(admitted(waiting)).isTrue();

    Waiter next = limiter.enter(INTERACTIVE, true);
    assertThat(next.decided()).isFalse();
    limiter.reconfigure(new ConcurrencyConfig(false, 1, 2, 10, 1000));
    assertThat(admitted(next)).isTrue();
    assertThat(limiter.inFlight()).isEqualTo(2);
  }

  @Test
  void aLiftedLimitAdmitsEveryWaiterAndNewcomerAtOnceAndCountsThemWhenTheBlockComesBack() {
    TargetLimiter limiter = fixed(1, 10);
    Waiter holder = limiter.enter(INTERACTIVE, true);
    Waiter interactive = limiter.enter(INTERACTIVE, true);
    Waiter batch = limiter.enter(BATCH, true);
    assertThat(List.of(interactive, batch)).noneMatch(Waiter::decided);

    limiter.lift();
    assertThat(List.of(interactive, batch)).allMatch(TargetLimiterTest::admitted);
    Waiter late = limiter.enter(BATCH, true);
    assertThat(admitted(late)).isTrue();
    assertThat(limiter.inFlight()).isEqualTo(4);
    assertThat(limiter.waiting()).isZero();

    limiter.reconfigure(new ConcurrencyConfig(false, 1, 1, 10, 1000));
    Waiter underTheLimitAgain = limiter.enter(INTERACTIVE, true);
    assertThat(underTheLimitAgain.decided()).isFalse();
    List.of(holder, interactive, batch, late).forEach(Waiter::release);
    assertThat(admitted(underTheLimitAgain)).isTrue();
  }
}
