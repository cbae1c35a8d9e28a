package io.reliapi.server;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;

/**
 * The wait of a streaming request before its answer is known (retries, fallbacks, a stream held until its
 * commit point), kept alive for load balancers that cut idle connections: once the request has waited
 * {@code everyMs}, the route's 200 and its SSE headers are committed and an SSE comment ({@code : keep-alive})
 * goes out, then again every {@code everyMs}, until the pipeline's outcome is known ({@link #settle()}, which
 * {@link Ingress} calls). After a commit the route can no longer choose its status: it renders the outcome on
 * the stream already open ({@link SseWriter} continues it), a failure as its protocol's in-band error event.
 *
 * <p>A streaming route starts it for a request held before its commit point with
 * {@link #begin(Inbound, long)} (the LLM routes through {@code LlmRequests.held}); its renderers ask
 * {@link #committed()} before they write a head or an error status. Every request has one; it does nothing
 * until begun. The comments are I/O on the client's connection, meant for whatever watches it for silence, so
 * they run on real timers, like the connection's idle timeout (a test scheduler that skips waits would spin a
 * heartbeat). Used on the request's event loop.
 */
public final class StreamHold {
  static final String KEEP_ALIVE = ": keep-alive\n\n";

  private final Vertx vertx;
  private Inbound in;
  private long everyMs;
  private long next = -1;
  private boolean committed;
  private boolean settled;

  StreamHold(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Starts keeping the request alive: the first comment (and the head) after {@code everyMs}. */
  public void begin(Inbound in, long everyMs) {
    if (settled || next >= 0 || everyMs <= 0) {
      return;
    }
    this.in = in;
    this.everyMs = everyMs;
    next = vertx.setTimer(everyMs, id -> keepAlive());
  }

  /** Returns whether the 200 and the SSE headers went out: the outcome must be rendered on that stream. */
  public boolean committed() {
    return committed;
  }

  /** The pipeline's outcome is known: no more comments (the route writes the answer). */
  void settle() {
    settled = true;
    if (next >= 0) {
      vertx.cancelTimer(next);
      next = -1;
    }
  }

  private void keepAlive() {
    next = -1;
    HttpServerResponse response = in.request().response();
    if (settled || response.closed() || response.ended()) {
      return;
    }
    if (!committed) {
      committed = true;
      response.setStatusCode(200);
      response.headers().set("X-Request-ID", in.requestId());
      SseWriter.sseHeaders(response);
    }
    next = vertx.setTimer(everyMs, id -> keepAlive());
    response.write(KEEP_ALIVE);
  }
}
