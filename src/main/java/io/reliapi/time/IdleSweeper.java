package io.reliapi.time;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * One per event loop: checks every watched {@link IdleTimer} of that loop every few milliseconds, so a request's
 * idle timeout costs linking it into a list instead of a timer. Timeouts fire within one sweep of their due
 * time, and a sweep comes every tenth of the shortest watched timeout ({@link #periodMs}: between
 * {@value #MIN_SWEEP_MS} and {@value #SWEEP_MS} ms), so an attempt's 100 ms limit ends it at most 10 ms late
 * rather than 50. The periodic timer runs only while something is watched. The list runs through the timers'
 * own fields, so watching and unwatching allocate nothing and take constant time.
 */
final class IdleSweeper {
  static final long SWEEP_MS = 50;
  static final long MIN_SWEEP_MS = 5;
  private static final String KEY = IdleSweeper.class.getName();

  private final Vertx vertx;
  /** The first watched timer, or null; each links to the next and back. */
  private IdleTimer head;
  private long timer = -1;
  private long timerPeriodMs;

  private IdleSweeper(Vertx vertx) {
    this.vertx = vertx;
  }

  static IdleSweeper of(Vertx vertx, Context context) {
    IdleSweeper sweeper = context.get(KEY);
    if (sweeper == null) {
      sweeper = new IdleSweeper(vertx);
      context.put(KEY, sweeper);
    }
    return sweeper;
  }

  /** Starts watching {@code idle}, which must not be watched already. */
  void watch(IdleTimer idle) {
    idle.previous = null;
    idle.next = head;
    if (head != null) {
      head.previous = idle;
    }
    head = idle;
    long wanted = periodMs(idle.idleNanos());
    if (timer < 0 || wanted < timerPeriodMs) {
      every(wanted);
    }
  }

  /** Returns how often to sweep while a timeout of {@code idleNanos} is watched: a tenth of it, within bounds. */
  static long periodMs(long idleNanos) {
    return Math.clamp(idleNanos / 10_000_000L, MIN_SWEEP_MS, SWEEP_MS);
  }

  /** Returns the period of the running sweeps, in ms (0 while nothing is watched). */
  long currentPeriodMs() {
    return timer < 0 ? 0 : timerPeriodMs;
  }

  private void every(long periodMs) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    timerPeriodMs = periodMs;
    timer = vertx.setPeriodic(periodMs, id -> sweepNow());
  }

  /** Stops watching {@code idle}, which must be watched. */
  void unwatch(IdleTimer idle) {
    if (idle.previous != null) {
      idle.previous.next = idle.next;
    } else {
      head = idle.next;
    }
    if (idle.next != null) {
      idle.next.previous = idle.previous;
    }
    idle.previous = null;
    idle.next = null;
  }

  private void sweepNow() {
    if (head == null) {
      vertx.cancelTimer(timer);
      timer = -1;
      return;
    }
    long shortest = sweep(SystemClock.INSTANCE.nanoTime());
    if (head != null && periodMs(shortest) > timerPeriodMs) {
      // The short timeouts that sped the sweeps up are gone: slow down again.
      every(periodMs(shortest));
    }
  }

  /** Fires every watched timer due at {@code now}; returns the shortest timeout watched during the walk. */
  long sweep(long now) {
    List<IdleTimer> due = new ArrayList<>(0);
    long shortest = Long.MAX_VALUE;
    for (IdleTimer idle = head; idle != null; idle = idle.next) {
      shortest = Math.min(shortest, idle.idleNanos());
      if (idle.isDue(now)) {
        due.add(idle);
      }
    }
    // Fired after the walk: firing may watch or unwatch other timers.
    for (IdleTimer idle : due) {
      if (idle.watched() && idle.isDue(now)) {
        unwatch(idle);
        idle.fire();
      }
    }
    return shortest;
  }

}
