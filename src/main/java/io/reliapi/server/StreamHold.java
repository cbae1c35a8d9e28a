package io.reliapi.server;

import io.reliapi.time.Scheduler;
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
 * until begun. Waits the gateway chooses, so on the {@link Scheduler}. Used on the request's event loop.
 */
public final class StreamHold {
  static final String KEEP_ALIVE = ": keep-alive\n\n";

  private final Scheduler scheduler;
  private Inbound in;
  private long everyMs;
  private Scheduler.Cancellable next;
  private boolean committed;
  private boolean settled;

  StreamHold(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  /** Starts keeping the request alive: the first comment (and the head) after {@code everyMs}. */
  public void begin(Inbound in, long everyMs) {
    if (settled || next != null || everyMs <= 0) {
      return;
    }
    this.in = in;
    this.everyMs = everyMs;
    next = scheduler.schedule(everyMs, this::keepAlive);
  }

  /** Returns whether the 200 and the SSE headers went out: the outcome must be rendered on that stream. */
  public boolean committed() {
    return committed;
  }

  /** The pipeline's outcome is known: no more comments (the route writes the answer). */
  void settle() {
    settled = true;
    if (next != null) {
      next.cancel();
      next = null;
    }
  }

  private void keepAlive() {
    next = null;
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
    next = scheduler.schedule(everyMs, this::keepAlive);
    response.write(KEEP_ALIVE);
  }
}
