package io.reliapi.time;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * An I/O timeout that fires after a stretch of silence: every sign of life ({@link #restart()}) starts the
 * silence over. It runs on real time, like every timeout that guards a connection. Restarting and stopping
 * are cheap: no timer is created per timeout; the {@link IdleSweeper} of the event loop checks every
 * watched timeout a few times a second. Used on one event loop.
 */
public final class IdleTimer {
  private final IdleSweeper sweeper;
  private final long idleNanos;
  private final Runnable onIdle;
  private long lastActivity;
  private boolean watched;
  /** When {@link #pause()} stopped the clock; -1 while it runs or is stopped. */
  private long pausedAt = -1;
  /** Neighbours in the sweeper's list while watched (the list is threaded through the timers: no node each). */
  IdleTimer previous;
  IdleTimer next;

  public IdleTimer(Vertx vertx, long idleMs, Runnable onIdle) {
    Context context = Vertx.currentContext() != null ? Vertx.currentContext() : vertx.getOrCreateContext();
    this.sweeper = IdleSweeper.of(vertx, context);
    this.idleNanos = Math.max(1, idleMs) * 1_000_000L;
    this.onIdle = onIdle;
  }

  /** Starts the silence over (and the watch, if it was stopped). */
  public void restart() {
    lastActivity = SystemClock.INSTANCE.nanoTime();
    pausedAt = -1;
    if (!watched) {
      watched = true;
      sweeper.watch(this);
    }
  }

  /**
   * Starts the silence over while the timer is watched; does nothing while it is stopped or paused, so a sign of
   * life that comes after its watcher stopped it (a stream held for its reader) cannot set it running again.
   */
  public void touch() {
    if (watched) {
      lastActivity = SystemClock.INSTANCE.nanoTime();
    }
  }

  /** Stops watching until the next {@link #restart()}. */
  public void stop() {
    pausedAt = -1;
    if (watched) {
      watched = false;
      sweeper.unwatch(this);
    }
  }

  /**
   * Stops the clock without starting the silence over: after {@link #resume()} the time before the pause still
   * counts, the time paused does not. Does nothing unless the timer is watched.
   */
  public void pause() {
    if (watched && pausedAt < 0) {
      pausedAt = SystemClock.INSTANCE.nanoTime();
      watched = false;
      sweeper.unwatch(this);
    }
  }

  /** Runs the clock again after {@link #pause()}; does nothing when it was not paused. */
  public void resume() {
    if (pausedAt >= 0) {
      lastActivity += SystemClock.INSTANCE.nanoTime() - pausedAt;
      pausedAt = -1;
      watched = true;
      sweeper.watch(this);
    }
  }

  long idleNanos() {
    return idleNanos;
  }

  boolean watched() {
    return watched;
  }

  boolean isDue(long now) {
    return now - lastActivity >= idleNanos;
  }

  /** Called by the sweeper, which has stopped watching this timer. */
  void fire() {
    watched = false;
    onIdle.run();
  }
}
