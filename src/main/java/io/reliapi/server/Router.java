package io.reliapi.server;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.server.anthropic.AnthropicRoute;
import io.reliapi.server.anthropic.CountTokensRoute;
import io.reliapi.server.envelope.ProxyLlmRoute;
import io.reliapi.server.openai.ModelsRoute;
import io.reliapi.server.openai.OpenAiRoute;
import io.reliapi.server.passthrough.PassThroughRoute;
import io.reliapi.server.responses.ResponsesRoute;
import io.reliapi.upstream.PoolPlaces;
import io.reliapi.upstream.UpstreamClient;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Sends each request to its route by exact path (or the {@code /t/}, {@code /admin/} and {@code /ui}
 * prefixes) and method. Each request reads the current {@link Snapshot} once, here: a new snapshot gets
 * this event loop new {@link LoopRoutes}, and the old ones serve the requests they already have until
 * those finish; then upstream clients nobody uses any more are closed. Runs on its event loop only.
 */
final class Router implements Handler<HttpServerRequest> {
  /** How often routes replaced by a reload are checked for requests still running on them. */
  static final long RETIRE_CHECK_MS = 100;
  /** {@code GET /v1/models/{id}}: the id may hold slashes ({@code target/model}), so it is the whole rest. */
  private static final String MODEL_PREFIX = "/v1/models/";

  private final Vertx vertx;
  private final ServerParts parts;
  /** The connection places of this event loop's clients, kept across reloads. */
  private final PoolPlaces places = new PoolPlaces();
  private final List<LoopRoutes> retiring = new CopyOnWriteArrayList<>();
  private final Set<UpstreamClient> unused = Collections.newSetFromMap(new IdentityHashMap<>());
  private LoopRoutes current;
  private boolean sweepScheduled;

  /**
   * The LLM routes: {@code /proxy/llm}, {@code /v1/chat/completions}, {@code /v1/models} (and
   * {@code /v1/models/{id}}), {@code /v1/responses}, {@code /v1/messages} and {@code /v1/messages/count_tokens}.
   */
  record LlmRoutes(ProxyLlmRoute proxyLlm, OpenAiRoute openAi, ModelsRoute models, ResponsesRoute responses,
      AnthropicRoute anthropic, CountTokensRoute countTokens) {}

  Router(Vertx vertx, ServerParts parts) {
    this.vertx = vertx;
    this.parts = parts;
    this.current = LoopRoutes.build(vertx, parts, places, parts.current().get(), null);
  }

  /**
   * Answers a request the HTTP parser could not read with the SPEC's error object, then closes the connection: where
   * one request's framing is in doubt, whatever follows it on the connection cannot be trusted to be a request.
   */
  void malformed(HttpServerRequest request) {
    refuse(request, MalformedRequests.error(request.decoderResult().cause()));
  }

  /**
   * Answers 400 and closes the connection. The answer says {@code Connection: close}, which is also what keeps a request
   * already read behind this one from being served ({@link IdleClients#requestArrived}).
   */
  private void refuse(HttpServerRequest request, GatewayException error) {
    request.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    refresh().ingress.unrouted().fail(request, error);
    request.connection().close();
  }

  @Override
  public void handle(HttpServerRequest request) {
    if (MalformedRequests.codedBeyondChunked(request.getHeader(HttpHeaders.TRANSFER_ENCODING))) {
      refuse(request, MalformedRequests.codingRefused());
      return;
    }
    GatewayException badHost = HostField.refusal(request.version(), request.headers());
    if (badHost != null) {
      refuse(request, badHost);
      return;
    }
    LoopRoutes routes = refresh();
    Ingress ingress = routes.ingress;
    String path = request.path();
    if (path.startsWith(PassThroughRoute.PREFIX)) {
      ingress.handle(request, routes.passThrough);
      return;
    }
    if (isOperator(path)) {
      if (routes.snapshot.config().admin().enabled()) {
        // The admin routes read a body only after its key passed (and the reload none): one left unread ends the
        // connection, as on the proxy routes.
        UnreadBody.closeIfLeftUnread(request);
        parts.operator().handle(request);
      } else {
        ingress.unrouted().fail(request, GatewayException.of(ErrorCode.ROUTE_NOT_FOUND, "No route at this path."));
      }
      return;
    }
    if (path.startsWith(MODEL_PREFIX) && path.length() > MODEL_PREFIX.length()) {
      String id = path.substring(MODEL_PREFIX.length());
      bodiless(request, routes, () -> routes.llm.models().retrieve(request, id));
      return;
    }
    switch (path) {
      case "/proxy/http" -> only(HttpMethod.POST, request, routes, () -> ingress.handle(request, routes.proxyHttp));
      case "/proxy/llm" -> only(HttpMethod.POST, request, routes, () -> ingress.handle(request, routes.llm.proxyLlm()));
      case "/v1/chat/completions" ->
          only(HttpMethod.POST, request, routes, () -> ingress.handle(request, routes.llm.openAi()));
      case "/v1/embeddings" -> only(HttpMethod.POST, request, routes, () -> ingress.handle(request, routes.embeddings));
      case "/v1/responses" -> only(HttpMethod.POST, request, routes, () -> ingress.handle(request, routes.llm.responses()));
      case "/v1/messages" ->
          only(HttpMethod.POST, request, routes, () -> ingress.handle(request, routes.llm.anthropic()));
      case "/v1/messages/count_tokens" ->
          only(HttpMethod.POST, request, routes, () -> ingress.handle(request, routes.llm.countTokens()));
      case "/v1/models" -> bodiless(request, routes, () -> routes.llm.models().handle(request));
      case "/healthz" -> bodiless(request, routes, () -> routes.ops.health(request));
      case "/readyz" -> bodiless(request, routes, () -> routes.ops.readiness(request));
      case "/metrics" -> bodiless(request, routes, () -> routes.ops.metrics(request));
      default -> ingress.unrouted().fail(request, GatewayException.of(ErrorCode.ROUTE_NOT_FOUND, "No route at this path."));
    }
  }

  static boolean isOperator(String path) {
    return path.equals("/ui") || path.startsWith("/ui/") || path.equals("/admin") || path.startsWith("/admin/");
  }

  /** Moves to the current snapshot's routes if a reload published a new one; returns them. */
  LoopRoutes refresh() {
    Snapshot snapshot = parts.current().get();
    if (snapshot != current.snapshot) {
      LoopRoutes old = current;
      current = LoopRoutes.build(vertx, parts, places, snapshot, old);
      retiring.add(old);
      unused.addAll(old.notUsedBy(current));
      sweep();
    }
    return current;
  }

  /** Closes the clients that neither the current routes nor routes with requests in flight use. */
  private void sweep() {
    sweepScheduled = false;
    retiring.removeIf(routes -> routes.inFlight.get() == 0);
    Set<UpstreamClient> used = Collections.newSetFromMap(new IdentityHashMap<>());
    used.addAll(current.upstreams.values());
    retiring.forEach(routes -> used.addAll(routes.upstreams.values()));
    List<UpstreamClient> idle = new ArrayList<>();
    unused.removeIf(client -> !used.contains(client) && idle.add(client));
    idle.forEach(UpstreamClient::close);
    if ((!unused.isEmpty() || !retiring.isEmpty()) && !sweepScheduled) {
      sweepScheduled = true;
      parts.scheduler().schedule(RETIRE_CHECK_MS, this::sweep);
    }
  }

  /** Returns the proxy requests this event loop is serving, on the current routes and on replaced ones. */
  int inFlight() {
    int n = current.inFlight.get();
    for (LoopRoutes routes : retiring) {
      n += routes.inFlight.get();
    }
    return n;
  }

  /** The drain time is over: ends the requests still running here, on the current routes and replaced ones. */
  void drainEnded() {
    current.ingress.drainEnded();
    retiring.forEach(routes -> routes.ingress.drainEnded());
  }

  /** Closes every upstream client of this event loop. */
  Future<Void> close() {
    Set<UpstreamClient> all = Collections.newSetFromMap(new IdentityHashMap<>());
    all.addAll(current.upstreams.values());
    retiring.forEach(routes -> all.addAll(routes.upstreams.values()));
    all.addAll(unused);
    return Future.join(all.stream().map(UpstreamClient::close).toList()).mapEmpty();
  }

  /**
   * Runs a GET route that reads no body (the model list, the operations routes). A small body with a length is read
   * and dropped and the connection kept; one over {@link UnreadBody#DISCARDED_MAX} is 413 and ends the connection; any
   * other body still to come when it answers (chunked, or awaiting {@code 100 Continue}) ends the connection after the
   * answer. A client that sent {@code Expect: 100-continue} and got its answer without the invitation never sends the
   * body, and the connection would read its next request as the rest of it.
   */
  private void bodiless(HttpServerRequest request, LoopRoutes routes, Runnable route) {
    only(HttpMethod.GET, request, routes, () -> {
      if (UnreadBody.tooLargeToDiscard(request)) {
        routes.ingress.unrouted().fail(request, InboundBody.tooLarge(UnreadBody.DISCARDED_MAX));
        return;
      }
      if (!UnreadBody.discardSmall(request)) {
        UnreadBody.closeIfLeftUnread(request);
      }
      route.run();
    });
  }

  private void only(HttpMethod allowed, HttpServerRequest request, LoopRoutes routes, Runnable action) {
    if (request.method().equals(allowed) || allowed == HttpMethod.GET && request.method().equals(HttpMethod.HEAD)) {
      action.run();
    } else {
      request.response().putHeader("Allow", allowed.name());
      routes.ingress.unrouted().fail(request, GatewayException.of(ErrorCode.METHOD_NOT_ALLOWED,
          "This route accepts " + allowed.name() + "."));
    }
  }
}
