package io.reliapi.time;

import io.vertx.core.Vertx;

/**
 * An I/O timeout that fires after a stretch of silence: every sign of life ({@link #restart()}) starts the
 * silence over. It runs on real time (Vert.x timers and the system clock), like every timeout that guards a
 * connection, and it is cheap to restart: a restart only notes the time, and the one pending timer checks it
 * when it fires. Used on one event loop.
 */
public final class IdleTimer {
  private final Vertx vertx;
  private final long idleNanos;
  private final Runnable onIdle;
  private long timer = -1;
  private long lastActivity;

  public IdleTimer(Vertx vertx, long idleMs, Runnable onIdle) {
    this.vertx = vertx;
    this.idleNanos = Math.max(1, idleMs) * 1_000_000L;
    this.onIdle = onIdle;
  }

  /** Starts the silence over (and the timer, if it was stopped). */
  public void restart() {
    lastActivity = SystemClock.INSTANCE.nanoTime();
    if (timer < 0) {
      schedule(idleNanos);
    }
  }

  /** Stops the timer until the next {@link #restart()}. */
  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void schedule(long inNanos) {
    timer = vertx.setTimer(Math.max(1, inNanos / 1_000_000L), id -> {
      timer = -1;
      long silent = SystemClock.INSTANCE.nanoTime() - lastActivity;
      if (silent >= idleNanos) {
        onIdle.run();
      } else {
        schedule(idleNanos - silent);
      }
    });
  }
}
