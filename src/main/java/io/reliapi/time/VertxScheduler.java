package io.reliapi.time;

import io.vertx.core.Vertx;

/** Production scheduler on Vert.x timers: a timer set on an event loop fires on that event loop. */
public final class VertxScheduler implements Scheduler {
  private final Vertx vertx;

  public VertxScheduler(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Cancellable schedule(long delayMs, Runnable task) {
    if (delayMs <= 0) {
      var context = vertx.getOrCreateContext();
      boolean[] cancelled = {false};
      context.runOnContext(v -> {
        if (!cancelled[0]) {
          task.run();
        }
      });
      return () -> {
        boolean was = !cancelled[0];
        cancelled[0] = true;
        return was;
      };
    }
    long id = vertx.setTimer(delayMs, t -> task.run());
    return () -> vertx.cancelTimer(id);
  }
}
