package io.reliapi.llm;

import io.vertx.core.Vertx;

/**
 * A real-time timer restarted by every sign of life, firing after a stretch of silence. It is an I/O timeout,
 * so it runs on Vert.x timers rather than the gateway's scheduler. Used on one event loop.
 */
final class IdleTimer {
  private final Vertx vertx;
  private final long idleMs;
  private final Runnable onIdle;
  private long timer = -1;

  IdleTimer(Vertx vertx, long idleMs, Runnable onIdle) {
    this.vertx = vertx;
    this.idleMs = Math.max(1, idleMs);
    this.onIdle = onIdle;
  }

  /** Starts the silence over. */
  void restart() {
    stop();
    timer = vertx.setTimer(idleMs, id -> {
      timer = -1;
      onIdle.run();
    });
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
