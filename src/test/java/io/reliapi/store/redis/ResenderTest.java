package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.store.StoreUnavailableException;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Sending a command again until Redis answers: growing pauses, a deadline, a bound. */
class ResenderTest {
  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = ManualScheduler.manual(clock);
  private final Resender resender = new Resender(scheduler, clock);
  private final AtomicInteger sent = new AtomicInteger();

  /** A command that goes unanswered {@code failures} times, then is answered with how often it was sent. */
  private Supplier<Future<Integer>> answeredAfter(int failures) {
    return () -> sent.incrementAndGet() > failures
        ? Future.succeededFuture(sent.get())
        : Future.failedFuture(new StoreUnavailableException("no answer"));
  }

  @Test
  void aCommandIsSentAgainWithGrowingPausesUntilItIsAnswered() {
    Future<Integer> answer = resender.untilAnswered(answeredAfter(4), clock.epochMillis() + 60_000);
    assertThat(sent.get()).isEqualTo(1);
    scheduler.advance(Duration.ofMillis(250));
    assertThat(sent.get()).isEqualTo(2);
    scheduler.advance(Duration.ofMillis(500));
    assertThat(sent.get()).isEqualTo(3);
    scheduler.advance(Duration.ofMillis(1_000));
    assertThat(sent.get()).isEqualTo(4);
    assertThat(answer.isComplete()).isFalse();
    scheduler.advance(Duration.ofMillis(2_000));
    assertThat(answer.result()).isEqualTo(5);
    assertThat(scheduler.requestedDelaysMs()).containsExactly(250L, 500L, 1_000L, 2_000L);
  }

  @Test
  void pausesStopGrowingAtFiveSeconds() {
    resender.untilAnswered(answeredAfter(100), clock.epochMillis() + 600_000);
    for (int i = 0; i < 100; i++) {
      scheduler.advance(Duration.ofMillis(500));
    }
    assertThat(scheduler.requestedDelaysMs()).contains(5_000L).allMatch(d -> d <= Resender.MAX_PAUSE_MS);
  }

  @Test
  void itGivesUpAtItsDeadline() {
    Future<Integer> answer = resender.untilAnswered(answeredAfter(100), clock.epochMillis() + 1_000);
    for (int i = 0; i < 40; i++) {
      scheduler.advance(Duration.ofMillis(250));
    }
    assertThat(answer.failed()).isTrue();
    assertThat(sent.get()).isEqualTo(3);
    assertThat(resender.pending()).isZero();
  }

  @Test
  void pastTheBoundOfCommandsWaitingMoreAreDropped() {
    for (int i = 0; i < Resender.MAX_PENDING; i++) {
      resender.untilAnswered(answeredAfter(Integer.MAX_VALUE), clock.epochMillis() + 60_000);
    }
    assertThat(resender.pending()).isEqualTo(Resender.MAX_PENDING);
    Future<Integer> dropped = resender.untilAnswered(answeredAfter(Integer.MAX_VALUE), clock.epochMillis() + 60_000);
    assertThat(dropped.failed()).isTrue();
    assertThat(resender.pending()).isEqualTo(Resender.MAX_PENDING);
  }
}
