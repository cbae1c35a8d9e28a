package io.reliapi.time;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * One per event loop: checks every watched {@link IdleTimer} of that loop every {@value #SWEEP_MS} ms, so a
 * request's idle timeout costs linking it into a list instead of a timer. Timeouts fire within one sweep of
 * their due time. The periodic timer runs only while something is watched. The list runs through the timers'
 * own fields, so watching and unwatching allocate nothing and take constant time.
 */
final class IdleSweeper {
  static final long SWEEP_MS = 50;
  private static final String KEY = IdleSweeper.class.getName();

  private final Vertx vertx;
  /** The first watched timer, or null; each links to the next and back. */
  private IdleTimer head;
  private long timer = -1;

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
    if (timer < 0) {
      timer = vertx.setPeriodic(SWEEP_MS, id -> sweepNow());
    }
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
    sweep(SystemClock.INSTANCE.nanoTime());
  }

  /** Fires every watched timer due at {@code now}. */
  void sweep(long now) {
    List<IdleTimer> due = new ArrayList<>(0);
    for (IdleTimer idle = head; idle != null; idle = idle.next) {
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
  }

}
