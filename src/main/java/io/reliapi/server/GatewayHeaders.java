package io.reliapi.server;

import io.reliapi.http.PlainDecimal;
import io.reliapi.pipeline.Trace;
import io.reliapi.time.Clock;
import io.vertx.core.MultiMap;
import java.util.concurrent.TimeUnit;

/** Writes the headers every proxy route adds to its answers (SPEC §3.6). */
public final class GatewayHeaders {
  private GatewayHeaders() {}

  public static void write(MultiMap headers, Inbound in, Clock clock) {
    Trace trace = in.trace();
    headers.set("X-Request-ID", in.requestId());
    headers.set("X-Duration-MS", Long.toString(elapsedMs(in, clock)));
    if (trace.target() != null) {
      headers.set("X-ReliAPI-Target", trace.target());
    }
    if (trace.deployment() != null) {
      headers.set("X-ReliAPI-Deployment", trace.deployment());
    }
    headers.set("X-Cache-Hit", trace.cacheHit() ? "true" : "false");
    if (trace.ageS() != null) {
      headers.set("Age", Long.toString(trace.ageS()));
    }
    headers.set("X-Retries", Integer.toString(trace.retries()));
    if (trace.fallbackUsed() && trace.fallbackReason() != null) {
      headers.set("X-ReliAPI-Fallback-Reason", trace.fallbackReason());
    }
    if (trace.idempotentHit()) {
      headers.set("Idempotent-Replayed", "true");
    }
    degraded(headers, trace);
    if (trace.costUsd() != null) {
      headers.set("X-ReliAPI-Cost-USD", PlainDecimal.of(trace.costUsd()));
    }
  }

  /** Marks an answer given on this instance's local state while the shared store was out (SPEC §7). */
  public static void degraded(MultiMap headers, Trace trace) {
    if (trace.degraded()) {
      headers.set("X-ReliAPI-Degraded", "store-unavailable");
    }
  }

  /**
   * Sets the content type of a body the gateway wrote itself (an LLM answer or event stream it rendered, an
   * envelope, an error object, a model list), which no browser may read as another: the body may echo what the
   * request sent or what a model wrote from it, so sniffed into a script or a page it could run. An upstream's own
   * answer passed through keeps the upstream's headers.
   */
  public static void ownBody(MultiMap headers, String contentType) {
    headers.set("Content-Type", contentType);
    headers.set("X-Content-Type-Options", "nosniff");
  }

  public static long elapsedMs(Inbound in, Clock clock) {
    return TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - in.startNanos());
  }
}
