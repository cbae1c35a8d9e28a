package io.reliapi.upstream;

import io.reliapi.time.IdleTimer;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.concurrent.TimeoutException;

/**
 * A streamed upstream body that fails when the upstream goes silent mid-body for longer than the attempt's
 * timeout (the request's idle timeout stops guarding once the response head arrived). The clock stops
 * while the reader holds the stream paused, so a slow client is not mistaken for a stalled upstream. A
 * stall resets the upstream request; the reader sees the failure and must not present the truncated body
 * as complete.
 */
final class StallGuard implements ReadStream<Buffer> {
  private final ReadStream<Buffer> source;
  private final IdleTimer idle;
  private final Runnable reset;
  private Handler<Throwable> exceptionHandler;
  private Handler<Void> endHandler;
  private boolean done;

  StallGuard(Vertx vertx, ReadStream<Buffer> source, long idleMs, Runnable reset) {
    this.source = source;
    this.reset = reset;
    this.idle = new IdleTimer(vertx, idleMs, this::stalled);
  }

  private void stalled() {
    if (done) {
      return;
    }
    done = true;
    reset.run();
    if (exceptionHandler != null) {
      exceptionHandler.handle(new TimeoutException("upstream stalled mid-body"));
    }
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    source.handler(handler == null ? null : chunk -> {
      if (!done) {
        idle.restart();
        handler.handle(chunk);
      }
    });
    return this;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    source.exceptionHandler(e -> {
      finish();
      if (handler != null) {
        handler.handle(e);
      }
    });
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> handler) {
    this.endHandler = handler;
    source.endHandler(v -> {
      finish();
      if (endHandler != null) {
        endHandler.handle(v);
      }
    });
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    idle.stop();
    source.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    if (!done) {
      idle.restart();
    }
    source.resume();
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    if (!done) {
      idle.restart();
    }
    source.fetch(amount);
    return this;
  }

  private void finish() {
    done = true;
    idle.stop();
  }
}
