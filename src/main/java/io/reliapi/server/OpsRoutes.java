package io.reliapi.server;

import io.reliapi.observe.Metrics;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Supplier;

/** {@code /healthz}, {@code /readyz} and {@code /metrics}: never authenticated, never rate-limited. */
final class OpsRoutes {
  private final Metrics metrics;
  private final Supplier<Future<Boolean>> ready;

  OpsRoutes(Metrics metrics, Supplier<Future<Boolean>> ready) {
    this.metrics = metrics;
    this.ready = ready;
  }

  void health(HttpServerRequest request) {
    request.response().putHeader("Content-Type", "application/json").end("{\"status\":\"ok\"}");
  }

  void readiness(HttpServerRequest request) {
    ready.get().onComplete(result -> {
      boolean ok = result.succeeded() && result.result();
      request.response().setStatusCode(ok ? 200 : 503).putHeader("Content-Type", "application/json")
          .end(ok ? "{\"status\":\"ready\"}" : "{\"status\":\"not_ready\"}");
    });
  }

  void metrics(HttpServerRequest request) {
    request.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape());
  }
}
