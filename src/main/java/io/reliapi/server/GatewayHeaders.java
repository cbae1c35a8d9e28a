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
    if (trace.degraded()) {
      headers.set("X-ReliAPI-Degraded", "store-unavailable");
    }
    if (trace.costUsd() != null) {
      headers.set("X-ReliAPI-Cost-USD", PlainDecimal.of(trace.costUsd()));
    }
  }

  public static long elapsedMs(Inbound in, Clock clock) {
    return TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - in.startNanos());
  }
}
