package io.reliapi.server;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.pipeline.Cancellation;
import io.reliapi.time.IdleTimer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;

/**
 * Bounds the time a request body may take to arrive ({@code server.body_timeout_ms}), from the request's
 * head to its last byte. The idle timeout restarts with every byte, so a body trickling one byte at a time
 * would hold its connection (and what was read of it) almost forever; this bound does not restart. It is
 * an I/O timeout of the connection, so it runs in real time: an {@link IdleTimer} started once and never
 * restarted. It counts only time the gateway waits for the client's bytes: while a body streamed upstream is
 * held paused ({@link #streamed}), because the upstream takes it more slowly than the client sends it or the
 * attempt has not started yet, its clock stops; a stalled upstream is then the attempt's own timeout, the
 * target's failure. When it expires, a body still being read fails with 408 REQUEST_TIMEOUT, and an attempt
 * already streaming the body upstream is cancelled: a slow client says nothing about the target.
 */
public final class BodyDeadline {
  private static final BodyDeadline NONE = new BodyDeadline(0, null);

  private final long timeoutMs;
  private final Cancellation cancellation;
  private final Promise<Void> expiry = Promise.promise();
  private IdleTimer timer;

  private BodyDeadline(long timeoutMs, Cancellation cancellation) {
    this.timeoutMs = timeoutMs;
    this.cancellation = cancellation;
  }

  /** Returns the deadline of a request whose body is already read or never will be. */
  static BodyDeadline none() {
    return NONE;
  }

  /** Starts the deadline of a request that may have a body; one without a body gets none. */
  static BodyDeadline arm(Vertx vertx, HttpServerRequest request, long timeoutMs, Cancellation cancellation) {
    if (request.isEnded() || !InboundBody.mayHaveBody(request)) {
      return NONE;
    }
    BodyDeadline deadline = new BodyDeadline(timeoutMs, cancellation);
    deadline.timer = new IdleTimer(vertx, timeoutMs, deadline::expire);
    deadline.timer.restart();
    // Ends with the body's last byte, or with the connection: either way the deadline is over.
    request.end().onComplete(done -> deadline.disarm());
    return deadline;
  }

  private void expire() {
    timer = null;
    expiry.tryFail(timeout());
    cancellation.cancel();
  }

  /**
   * Returns the body of {@code request}, held paused until the upstream reads it: the deadline stops now and
   * runs only while the stream flows.
   */
  ReadStream<Buffer> streamed(HttpServerRequest request) {
    request.pause();
    hold();
    return new PacedBody(request, this);
  }

  /** Stops the clock: the gateway holds the body paused, so the client is not the one being waited for. */
  void hold() {
    if (timer != null) {
      timer.pause();
    }
  }

  /** Runs the clock again: the gateway reads the body on. */
  void release() {
    if (timer != null) {
      timer.resume();
    }
  }

  /** Returns what {@code reading} gives, unless the deadline passes first: then REQUEST_TIMEOUT. */
  <T> Future<T> bound(Future<T> reading) {
    if (this == NONE) {
      return reading;
    }
    Promise<T> first = Promise.promise();
    reading.onComplete(first::tryComplete, first::tryFail);
    expiry.future().onFailure(first::tryFail);
    return first.future();
  }

  boolean expired() {
    return expiry.future().failed();
  }

  GatewayException timeout() {
    return GatewayException.of(ErrorCode.REQUEST_TIMEOUT,
        "The request body did not arrive within " + timeoutMs + " ms.");
  }

  void disarm() {
    if (timer != null) {
      timer.stop();
      timer = null;
    }
  }
}
