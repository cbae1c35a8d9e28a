package io.reliapi.testing;

import io.reliapi.time.Scheduler;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler driven by a {@link ManualClock}. In manual mode tasks run when a test advances the clock
 * past them; in auto mode every wait is skipped at once by moving the clock forward by its length, so
 * backoff runs without sleeping while the clock still shows the time that passed. Every delay asked for
 * is recorded.
 */
public final class ManualScheduler implements Scheduler {
  private final ManualClock clock;
  private final boolean auto;
  private final List<Task> pending = new ArrayList<>();
  private final List<Long> requestedDelaysMs = new CopyOnWriteArrayList<>();

  private ManualScheduler(ManualClock clock, boolean auto) {
    this.clock = clock;
    this.auto = auto;
  }

  /** Tasks run only when {@link #advance} passes their due time. */
  public static ManualScheduler manual(ManualClock clock) {
    return new ManualScheduler(clock, false);
  }

  /** Each wait completes at once, advancing the clock by its length. */
  public static ManualScheduler auto(ManualClock clock) {
    return new ManualScheduler(clock, true);
  }

  @Override
  public Cancellable schedule(long delayMs, Runnable task) {
    requestedDelaysMs.add(delayMs);
    Task t = new Task(clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs), task, Vertx.currentContext());
    if (auto) {
      clock.advance(Duration.ofMillis(Math.max(0, delayMs)));
      t.run();
      return () -> false;
    }
    synchronized (pending) {
      pending.add(t);
    }
    return () -> {
      synchronized (pending) {
        return pending.remove(t);
      }
    };
  }

  /** Moves the clock forward and runs every task that has come due. */
  public void advance(Duration by) {
    clock.advance(by);
    List<Task> due = new ArrayList<>();
    synchronized (pending) {
      pending.removeIf(t -> {
        if (t.dueNanos <= clock.nanoTime()) {
          due.add(t);
          return true;
        }
        return false;
      });
    }
    due.forEach(Task::run);
  }

  /** Returns the number of tasks waiting to come due. */
  public int pendingCount() {
    synchronized (pending) {
      return pending.size();
    }
  }

  /** Returns every delay asked for, in order. */
  public List<Long> requestedDelaysMs() {
    return List.copyOf(requestedDelaysMs);
  }

  private record Task(long dueNanos, Runnable action, Context context) {
    void run() {
      if (context != null) {
        context.runOnContext(v -> action.run());
      } else {
        action.run();
      }
    }
  }
}
