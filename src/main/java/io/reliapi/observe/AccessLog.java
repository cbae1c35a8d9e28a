package io.reliapi.observe;

import io.reliapi.pipeline.Route;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per finished request (SPEC §6). Only fixed fields are logged: never headers, keys,
 * paths, query strings or bodies. The line is formatted on the log writer's thread, not the request's.
 */
public final class AccessLog implements GatewayEvents {
  private static final Logger LOG = LoggerFactory.getLogger("reliapi.access");
  /** Each route's log label, made once instead of lower-casing the enum's name on every line. */
  private static final String[] ROUTE_LABELS = Arrays.stream(Route.values())
      .map(route -> route.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);

  @Override
  public void requestFinished(CompletedRequest r) {
    if (LOG.isInfoEnabled()) {
      LOG.info("request", (JsonLine.Fields) line -> fields(r, line));
    }
  }

  static void fields(CompletedRequest r, JsonLine line) {
    var t = r.trace();
    line.field("request_id", r.requestId())
        .field("client", r.client())
        .field("target", r.target())
        .field("deployment", t.deployment())
        .field("kind", r.route().kind())
        .field("route", ROUTE_LABELS[r.route().ordinal()])
        .field("method", r.method())
        .field("status", r.status())
        .field("outcome", r.outcome())
        .field("duration_ms", TimeUnit.NANOSECONDS.toMillis(r.durationNanos()))
        .field("retries", t.retries())
        .field("cache_hit", t.cacheHit())
        .field("idempotent_hit", t.idempotentHit())
        .field("fallback_target", t.fallbackTarget())
        .field("cost_usd", t.costUsd())
        .field("error_code", r.errorCode())
        .field("trace_id", t.span().traceId())
        .field("trail", t.trail().entries(), t.trail().dropped());
  }
}
