package io.reliapi.upstream;

import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.Reply;
import io.reliapi.http.HeldBytes;
import io.reliapi.time.IdleTimer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;

/**
 * Turns an upstream's response into the attempt's reply: read whole (within the size limit) when the route
 * buffers answers or the answer announces a small length, else handed on as a stream guarded against
 * stalls. Headers are cleaned for the client either way.
 */
final class UpstreamAnswers {
  /** Answers announced up to this size are read whole even on streaming routes (see {@link #smallBody}). */
  static final long SMALL_BODY_BYTES = 64 * 1024;
  /** The most an answer's buffer starts with; an answer announced larger grows as it actually arrives. */
  private static final int INITIAL_CAPACITY_MAX = 16 * 1024;

  private final Vertx vertx;

  UpstreamAnswers(Vertx vertx) {
    this.vertx = vertx;
  }

  void read(HttpClientResponse response, InFlight flight, Attempt attempt) {
    if (attempt.buffer()) {
      readWhole(response, attempt.maxResponseBytes(), attempt.buffered(), flight, () -> {});
    } else if (smallBody(response)) {
      readSmall(response, flight, attempt);
    } else {
      stream(response, flight, attempt.timeoutMs());
    }
  }

  /**
   * Returns whether a streaming route should still read this answer whole: it announces a small length.
   * One write of a small body costs far less than a pipe with flow control, and nothing is lost to the
   * client, who receives it as fast either way. An event stream is never read whole, whatever length it
   * announces (a provider behind a buffering proxy sends one with a Content-Length): its reader parses it as a
   * stream, and a whole body would be read as one JSON answer.
   */
  private static boolean smallBody(HttpClientResponse response) {
    String type = response.getHeader("content-type");
    if (type != null && type.regionMatches(true, 0, "text/event-stream", 0, "text/event-stream".length())) {
      return false;
    }
    String declared = response.getHeader("content-length");
    long length = declared == null ? -1 : parseLength(declared);
    return length >= 0 && length <= SMALL_BODY_BYTES;
  }

  /**
   * Reads a small announced body whole, guarded against a stall like a streamed one. Outside the memory budget:
   * like a streamed answer's window, it holds at most {@link #SMALL_BODY_BYTES} per request.
   */
  private void readSmall(HttpClientResponse response, InFlight flight, Attempt attempt) {
    IdleTimer idle = new IdleTimer(vertx, attempt.timeoutMs(), () -> flight.fail(attempt.timedOut(true)));
    idle.restart();
    flight.result.future().onComplete(done -> idle.stop());
    readWhole(response, SMALL_BODY_BYTES, HeldBytes.untracked(), flight, idle::restart);
  }

  /**
   * Reads the answer whole within {@code max} bytes, each chunk taken from the request's share of the memory
   * budget as it arrives; an answer the budget cannot hold fails the attempt with OVERLOADED (not retried, no
   * breaker count: the upstream did nothing wrong).
   */
  private static void readWhole(HttpClientResponse response, long max, HeldBytes held, InFlight flight,
      Runnable onChunk) {
    String declared = response.getHeader("content-length");
    if (declared != null && parseLength(declared) > max) {
      flight.fail(Failures.tooLarge());
      return;
    }
    // Grown as bytes arrive: an announced length alone must not pin memory outside the budget.
    Buffer body = Buffer.buffer(declared == null ? 256 : (int) Math.max(0, Math.min(parseLength(declared),
        INITIAL_CAPACITY_MAX)));
    response.handler(chunk -> {
      if (flight.result.future().isComplete()) {
        return;  // failed already: what still arrives before the reset is dropped
      }
      onChunk.run();
      if (body.length() + chunk.length() > max) {
        flight.fail(Failures.tooLarge());
      } else if (!held.take(chunk.length())) {
        flight.fail(held.shedAnswer());
      } else {
        body.appendBuffer(chunk);
      }
    });
    response.exceptionHandler(e -> flight.fail(Failures.classify(e, true)));
    response.endHandler(v -> flight.completeWhole(new Reply(response.statusCode(),
        HeaderHygiene.forClient(Headers.from(response.headers())), Body.of(body))));
  }

  private void stream(HttpClientResponse response, InFlight flight, long idleMs) {
    response.pause();
    String declared = response.getHeader("content-length");
    long length = declared == null ? -1 : parseLength(declared);
    HttpClientRequest request = flight.request;
    Runnable reset = () -> {
      request.reset();
      flight.end();
    };
    StallGuard body = new StallGuard(vertx, response, idleMs, reset, flight::end);
    flight.completeStreaming(new Reply(response.statusCode(),
        HeaderHygiene.forClient(Headers.from(response.headers())), new Body.Stream(body, length, reset)), body);
  }

  private static long parseLength(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
