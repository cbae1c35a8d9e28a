package io.reliapi.server;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/** Sends each request to its route by exact path (or the {@code /t/} prefix) and method. */
final class Router implements Handler<HttpServerRequest> {
  private final Ingress ingress;
  private final OpsRoutes ops;
  private final ProxyHttpRoute proxyHttp;
  private final PassThroughRoute passThrough;
  private final Ingress.Unrouted unrouted;
  private final LlmRoutes llm;

  /** The LLM routes: {@code /proxy/llm}, {@code /v1/chat/completions} and {@code /v1/models}. */
  record LlmRoutes(ProxyLlmRoute proxyLlm, OpenAiRoute openAi, ModelsRoute models) {}

  Router(Ingress ingress, OpsRoutes ops, ProxyHttpRoute proxyHttp, PassThroughRoute passThrough, LlmRoutes llm) {
    this.ingress = ingress;
    this.ops = ops;
    this.proxyHttp = proxyHttp;
    this.passThrough = passThrough;
    this.unrouted = ingress.unrouted();
    this.llm = llm;
  }

  @Override
  public void handle(HttpServerRequest request) {
    String path = request.path();
    if (path.startsWith(PassThroughRoute.PREFIX)) {
      ingress.handle(request, passThrough);
      return;
    }
    switch (path) {
      case "/proxy/http" -> only(HttpMethod.POST, request, () -> ingress.handle(request, proxyHttp));
      case "/proxy/llm" -> only(HttpMethod.POST, request, () -> ingress.handle(request, llm.proxyLlm()));
      case "/v1/chat/completions" -> only(HttpMethod.POST, request, () -> ingress.handle(request, llm.openAi()));
      case "/v1/models" -> only(HttpMethod.GET, request, () -> llm.models().handle(request));
      case "/healthz" -> only(HttpMethod.GET, request, () -> ops.health(request));
      case "/readyz" -> only(HttpMethod.GET, request, () -> ops.readiness(request));
      case "/metrics" -> only(HttpMethod.GET, request, () -> ops.metrics(request));
      default -> unrouted.fail(request, GatewayException.of(ErrorCode.ROUTE_NOT_FOUND, "No route at this path."));
    }
  }

  private void only(HttpMethod allowed, HttpServerRequest request, Runnable action) {
    if (request.method().equals(allowed) || allowed == HttpMethod.GET && request.method().equals(HttpMethod.HEAD)) {
      action.run();
    } else {
      request.response().putHeader("Allow", allowed.name());
      unrouted.fail(request, GatewayException.of(ErrorCode.METHOD_NOT_ALLOWED,
          "This route accepts " + allowed.name() + "."));
    }
  }
}
