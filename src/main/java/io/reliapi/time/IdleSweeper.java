package io.reliapi.time;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One per event loop: checks every watched {@link IdleTimer} of that loop every {@value #SWEEP_MS} ms, so a
 * request's idle timeout costs a set insertion instead of a timer. Timeouts fire within one sweep of their
 * due time. The periodic timer runs only while something is watched.
 */
final class IdleSweeper {
  static final long SWEEP_MS = 50;
  private static final String KEY = IdleSweeper.class.getName();

  private final Vertx vertx;
  private final Set<IdleTimer> watched = new LinkedHashSet<>();
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

  void watch(IdleTimer idle) {
    watched.add(idle);
    if (timer < 0) {
      timer = vertx.setPeriodic(SWEEP_MS, id -> sweep());
    }
  }

  void unwatch(IdleTimer idle) {
    watched.remove(idle);
  }

  private void sweep() {
    if (watched.isEmpty()) {
      vertx.cancelTimer(timer);
      timer = -1;
      return;
    }
    long now = SystemClock.INSTANCE.nanoTime();
    List<IdleTimer> due = new ArrayList<>(0);
    for (IdleTimer idle : watched) {
      if (idle.isDue(now)) {
        due.add(idle);
      }
    }
    for (IdleTimer idle : due) {
      watched.remove(idle);
      idle.fire();
    }
  }

}
