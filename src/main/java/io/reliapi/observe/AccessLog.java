package io.reliapi.observe;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.logstash.logback.marker.Markers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per finished request (SPEC §6). Only fixed fields are logged: never headers, keys,
 * paths, query strings or bodies.
 */
public final class AccessLog implements GatewayEvents {
  private static final Logger LOG = LoggerFactory.getLogger("reliapi.access");

  @Override
  public void requestFinished(CompletedRequest r) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    var t = r.trace();
    Map<String, Object> line = new LinkedHashMap<>(24);
    line.put("request_id", r.requestId());
    line.put("client", r.client());
    line.put("target", r.target());
    line.put("kind", r.route().kind());
    line.put("route", r.route().name().toLowerCase());
    line.put("method", r.method());
    line.put("status", r.status());
    line.put("outcome", r.outcome());
    line.put("duration_ms", TimeUnit.NANOSECONDS.toMillis(r.durationNanos()));
    line.put("retries", t.retries());
    line.put("cache_hit", t.cacheHit());
    line.put("idempotent_hit", t.idempotentHit());
    line.put("fallback_target", t.fallbackTarget());
    line.put("cost_usd", t.costUsd());
    line.put("error_code", r.errorCode());
    LOG.info(Markers.appendEntries(line), "request");
  }
}
