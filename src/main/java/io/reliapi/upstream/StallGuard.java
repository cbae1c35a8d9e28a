package io.reliapi.upstream;

import io.reliapi.time.IdleTimer;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.concurrent.TimeoutException;

/**
 * A streamed upstream body that fails when the upstream goes silent mid-body for longer than the attempt's
 * timeout (the request's idle timeout stops guarding once the response head arrived), or when it is
 * {@link #cut()} because its total time ran out. The idle clock stops while the reader holds the stream
 * paused, so a slow client is not mistaken for a stalled upstream; the total time runs on regardless, so a
 * slow client cannot hold the upstream connection for ever. A stall or a cut resets the upstream request; the
 * reader sees the failure and must not present the truncated body as complete. {@code onEnd} runs once,
 * however the body ends.
 */
final class StallGuard implements ReadStream<Buffer> {
  private final ReadStream<Buffer> source;
  private final IdleTimer idle;
  private final Runnable reset;
  private final Runnable onEnd;
  private Handler<Throwable> exceptionHandler;
  private Throwable unreported;
  private boolean reported;
  private boolean done;

  StallGuard(Vertx vertx, ReadStream<Buffer> source, long idleMs, Runnable reset, Runnable onEnd) {
    this.source = source;
    this.reset = reset;
    this.onEnd = onEnd;
    this.idle = new IdleTimer(vertx, idleMs, () -> stop(new TimeoutException("upstream stalled mid-body")));
  }

  /** Ends the body at once because its total time ran out: the upstream request is reset. */
  void cut() {
    stop(new TimeoutException("streamed answer over its time limit"));
  }

  private void stop(Throwable failure) {
    if (done) {
      return;
    }
    finish();
    // The reader learns why first: the reset below makes the source fail too, as a broken connection.
    report(failure);
    reset.run();
  }

  /** Tells the reader of {@code failure} once; a reader that comes later is told when it listens. */
  private void report(Throwable failure) {
    if (reported) {
      return;
    }
    if (exceptionHandler == null) {
      unreported = failure;
      return;
    }
    reported = true;
    exceptionHandler.handle(failure);
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

  // A null handler is passed on as null: an ended Vert.x response refuses a new handler by throwing, and
  // a pipe clears the handlers of a stream that has ended (a thrown exception per request is costly).

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    source.exceptionHandler(handler == null ? null : e -> {
      finish();
      report(e);
    });
    if (handler != null && unreported != null) {
      Throwable failure = unreported;
      unreported = null;
      report(failure);
    }
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> handler) {
    if (handler == null) {
      idle.stop();  // the reader let go of the stream; nothing is waiting for it any more
    }
    source.endHandler(handler == null ? null : v -> {
      finish();
      handler.handle(v);
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
    onEnd.run();
  }
}
