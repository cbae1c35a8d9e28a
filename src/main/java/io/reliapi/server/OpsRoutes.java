package io.reliapi.server;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.observe.Metrics;
import io.reliapi.policy.access.AccessKey;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code /healthz}, {@code /readyz} and {@code /metrics}: never rate-limited. {@code /healthz} is always
 * open (liveness probes carry no key); with {@code server.ops_key_env} set, {@code /readyz} and
 * {@code /metrics} answer 401 unless the request presents that key.
 */
final class OpsRoutes {
  private final Metrics metrics;
  private final Supplier<Future<Boolean>> ready;
  private final Optional<AccessKey> opsKey;
  private final Unrouted unauthorized;

  OpsRoutes(Metrics metrics, Supplier<Future<Boolean>> ready, Optional<AccessKey> opsKey,
      Unrouted unauthorized) {
    this.metrics = metrics;
    this.ready = ready;
    this.opsKey = opsKey;
    this.unauthorized = unauthorized;
  }

  void health(HttpServerRequest request) {
    WholeBody.end(typed(request, "application/json"), Buffer.buffer("{\"status\":\"ok\"}"));
  }

  void readiness(HttpServerRequest request) {
    if (!allowed(request)) {
      return;
    }
    ready.get().onComplete(result -> {
      boolean ok = result.succeeded() && result.result();
      WholeBody.end(typed(request, "application/json").setStatusCode(ok ? 200 : 503),
          Buffer.buffer(ok ? "{\"status\":\"ready\"}" : "{\"status\":\"not_ready\"}"));
    });
  }

  void metrics(HttpServerRequest request) {
    if (!allowed(request)) {
      return;
    }
    WholeBody.end(typed(request, "text/plain; version=0.0.4; charset=utf-8"), Buffer.buffer(metrics.scrape()));
  }

  private static HttpServerResponse typed(HttpServerRequest request, String type) {
    GatewayHeaders.ownBody(request.response().headers(), type);
    return request.response();
  }

  /** Returns whether the request may see the route; answers 401 itself when it may not. */
  private boolean allowed(HttpServerRequest request) {
    PresentedKey key = PresentedKey.of(request);
    if (opsKey.isEmpty() || opsKey.get().matches(key.apiKey(), key.authorization())) {
      return true;
    }
    unauthorized.fail(request, GatewayException.of(ErrorCode.UNAUTHORIZED, "A valid operations key is required."));
    return false;
  }
}
