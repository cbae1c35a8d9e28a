package io.reliapi.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sweeper's list of watched timers, swept at a chosen instant (an hour after now, when every running
 * timer of a few seconds is due): watched timers fire once, stopped and paused ones never, and a timer that
 * another one's firing stopped does not fire in the same sweep.
 */
class IdleSweeperTest {
  private static final long LATER = TimeUnit.HOURS.toNanos(1);
  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** Runs {@code test} on the context's event loop, with that loop's sweeper. */
  private void onLoop(Consumer<IdleSweeper> test) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        test.accept(IdleSweeper.of(vertx, context));
        done.complete(null);
      } catch (Throwable t) {
        done.completeExceptionally(t);
      }
    });
    done.join();
  }

  @Test
  void firesWatchedTimersOnceAndNeverStoppedOrPausedOnes() {
    onLoop(sweeper -> {
      List<String> fired = new ArrayList<>();
      IdleTimer running = new IdleTimer(vertx, 1000, () -> fired.add("running"));
      IdleTimer stopped = new IdleTimer(vertx, 1000, () -> fired.add("stopped"));
      IdleTimer paused = new IdleTimer(vertx, 1000, () -> fired.add("paused"));
      running.restart();
      stopped.restart();
      paused.restart();
      stopped.stop();
      paused.pause();
      long now = SystemClock.INSTANCE.nanoTime();

      sweeper.sweep(now + LATER);
      sweeper.sweep(now + 2 * LATER);
      assertThat(fired).containsExactly("running");

      paused.resume();
      sweeper.sweep(now + 3 * LATER);
      assertThat(fired).containsExactly("running", "paused");
    });
  }

  /** A sign of life after its watcher stopped or paused the timer must not set it running again (a held stream). */
  @Test
  void aTouchStartsTheSilenceOverOnlyWhileTheTimerIsWatched() {
    onLoop(sweeper -> {
      List<String> fired = new ArrayList<>();
      IdleTimer stopped = new IdleTimer(vertx, 1000, () -> fired.add("stopped"));
      IdleTimer paused = new IdleTimer(vertx, 1000, () -> fired.add("paused"));
      IdleTimer never = new IdleTimer(vertx, 1000, () -> fired.add("never watched"));
      stopped.restart();
      paused.restart();
      stopped.stop();
      paused.pause();
      stopped.touch();
      paused.touch();
      never.touch();
      long now = SystemClock.INSTANCE.nanoTime();

      sweeper.sweep(now + LATER);
      assertThat(fired).isEmpty();
    });
  }

  @Test
  void aTimerStoppedByAnotherOnesFiringDoesNotFireInTheSameSweep() {
    onLoop(sweeper -> {
      List<String> fired = new ArrayList<>();
      IdleTimer stopped = new IdleTimer(vertx, 1000, () -> fired.add("stopped one"));
      IdleTimer first = new IdleTimer(vertx, 1000, () -> {
        fired.add("first");
        stopped.stop();
      });
      stopped.restart();
      first.restart();
      long now = SystemClock.INSTANCE.nanoTime();

      sweeper.sweep(now + LATER);
      assertThat(fired).containsExactly("first");
    });
  }

  @Test
  void keepsItsListWholeThroughAnyOrderOfWatchingAndUnwatching() {
    onLoop(sweeper -> {
      Random random = new Random(7);
      int[] fires = new int[200];
      List<IdleTimer> timers = new ArrayList<>();
      for (int i = 0; i < fires.length; i++) {
        int index = i;
        timers.add(new IdleTimer(vertx, 1000, () -> fires[index]++));
      }
      boolean[] watched = new boolean[fires.length];
      for (int step = 0; step < 5000; step++) {
        int i = random.nextInt(fires.length);
        if (random.nextBoolean()) {
          timers.get(i).restart();
          watched[i] = true;
        } else {
          timers.get(i).stop();
          watched[i] = false;
        }
      }
      sweeper.sweep(SystemClock.INSTANCE.nanoTime() + LATER);
      for (int i = 0; i < fires.length; i++) {
        assertThat(fires[i]).as("timer %d", i).isEqualTo(watched[i] ? 1 : 0);
      }
    });
  }

  @Test
  void sweepsEveryTenthOfTheShortestTimeoutBetweenFiveAndFiftyMilliseconds() {
    assertThat(IdleSweeper.periodMs(TimeUnit.SECONDS.toNanos(60))).isEqualTo(50);
    assertThat(IdleSweeper.periodMs(TimeUnit.MILLISECONDS.toNanos(500))).isEqualTo(50);
    assertThat(IdleSweeper.periodMs(TimeUnit.MILLISECONDS.toNanos(100))).isEqualTo(10);
    assertThat(IdleSweeper.periodMs(TimeUnit.MILLISECONDS.toNanos(20))).isEqualTo(5);
    assertThat(IdleSweeper.periodMs(1)).isEqualTo(5);
  }

  @Test
  void speedsUpWhileAShortTimeoutIsWatchedAndSlowsDownAfterIt() {
    IdleTimer[] timers = new IdleTimer[2];
    onLoop(sweeper -> {
      timers[0] = new IdleTimer(vertx, 60_000, () -> { });
      timers[0].restart();
      assertThat(sweeper.currentPeriodMs()).isEqualTo(50);
      timers[1] = new IdleTimer(vertx, 100, () -> { });
      timers[1].restart();
      assertThat(sweeper.currentPeriodMs()).isEqualTo(10);
      timers[1].stop();
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      long[] period = new long[1];
      onLoop(sweeper -> period[0] = sweeper.currentPeriodMs());
      return period[0] == 50;
    });
    onLoop(sweeper -> timers[0].stop());
  }
}
