package io.reliapi.upstream;

import io.reliapi.error.GatewayException;
import io.reliapi.http.Reply;
import io.reliapi.time.IdleTimer;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClientRequest;

/**
 * One attempt's state: its request once a connection was obtained, whether bytes may have gone out
 * (from the moment its head was written), the
 * streamed body once handed on, and the attempt's end. The attempt ends exactly once, when its connection
 * is let go: the answer was read whole, the streamed body ended or was cut, the request was reset, or no
 * connection was obtained. The end stops the time limit and runs {@code onEnd} (the pool place is given back).
 */
final class InFlight {
  final Promise<Reply> result;
  HttpClientRequest request;
  boolean sent;
  private final Runnable onEnd;
  private boolean ended;
  private StallGuard body;
  private IdleTimer limit;

  InFlight(Promise<Reply> result, Runnable onEnd) {
    this.result = result;
    this.onEnd = onEnd;
  }

  /** The wait for a connection is over: {@code obtained} is the request on it, or null when none came. */
  void obtained(HttpClientRequest obtained) {
    request = obtained;
    if (obtained == null) {
      end();
    } else {
      if (result.future().isComplete()) {
        // The attempt ended while its connection was on its way (the client left, its time ran out): nothing was
        // written, so Vert.x gives the connection back to the pool rather than closing it.
        obtained.reset();
        end();
      }
    }
  }

  /**
   * Ends the attempt with {@code failure} unless it ended already; a connected request is reset. An attempt still
   * waiting for a connection gives its pool place back at once (its client left, its time ran out): kept until the
   * pool's wait ended, it would have refused the next attempt as if the pool were full.
   */
  void fail(Throwable failure) {
    if (result.tryFail(failure)) {
      if (request != null) {
        request.reset();
      }
      end();
    }
  }

  /** Completes the attempt with an answer read whole: the connection goes back to the pool. */
  void completeWhole(Reply reply) {
    result.tryComplete(reply);
    end();
  }

  /** Completes the attempt with an answer whose body {@code guard} streams on; the body's end ends the attempt. */
  void completeStreaming(Reply reply, StallGuard guard) {
    body = guard;
    result.tryComplete(reply);
  }

  /** The attempt's total time is up: it fails with {@code timeout}, or its streamed body is cut. */
  void expire(GatewayException timeout) {
    if (!result.future().isComplete()) {
      fail(timeout);
    } else if (body != null) {
      body.cut();
    }
  }

  /** Starts {@code limit}, the attempt's time limit, which its end stops. */
  void limitedBy(IdleTimer limit) {
    this.limit = limit;
    limit.restart();
  }

  /** Lets go of the attempt's connection and limits, once. */
  void end() {
    if (!ended) {
      ended = true;
      if (limit != null) {
        limit.stop();
      }
      onEnd.run();
    }
  }
}
