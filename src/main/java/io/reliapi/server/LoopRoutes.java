package io.reliapi.server;

import io.reliapi.config.DeploymentConfig;
import io.reliapi.config.GatewayConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.llm.cost.TokenCounter;
import io.reliapi.policy.access.AccessKey;
import io.reliapi.server.anthropic.AnthropicRoute;
import io.reliapi.server.anthropic.CountTokensRoute;
import io.reliapi.server.embeddings.EmbeddingsRoute;
import io.reliapi.server.envelope.Envelope;
import io.reliapi.server.envelope.ProxyHttpRoute;
import io.reliapi.server.envelope.ProxyLlmRoute;
import io.reliapi.server.openai.ModelsRoute;
import io.reliapi.server.openai.OpenAiRoute;
import io.reliapi.server.passthrough.PassThroughRoute;
import io.reliapi.server.passthrough.Problem;
import io.reliapi.server.responses.ResponsesRoute;
import io.reliapi.upstream.PoolPlaces;
import io.reliapi.upstream.UpstreamClient;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One event loop's routes for one {@link Snapshot}: its upstream clients, its pipeline, the ingress and the
 * proxy routes, and a count of the requests they are serving. A new snapshot gets new routes; the clients
 * of targets whose config is unchanged are carried over (their pooled connections too), the others are
 * closed once the requests still running on the old routes have finished.
 */
final class LoopRoutes {
  final Snapshot snapshot;
  final Map<String, UpstreamClient> upstreams;
  final AtomicInteger inFlight = new AtomicInteger();
  final Ingress ingress;
  final OpsRoutes ops;
  final ProxyHttpRoute proxyHttp;
  final PassThroughRoute passThrough;
  final Router.LlmRoutes llm;
  final EmbeddingsRoute embeddings;

  private LoopRoutes(Vertx vertx, Snapshot snapshot, Map<String, UpstreamClient> upstreams, ServerParts parts) {
    this.snapshot = snapshot;
    this.upstreams = upstreams;
    GatewayConfig config = snapshot.config();
    this.ingress = new Ingress(vertx, parts.clock(), snapshot.keys(), parts.rateLimit(),
        snapshot.pipelines().apply(upstreams),
        parts.events(), config.server(), inFlight, parts.tracing(), parts.buffered());
    this.ops = new OpsRoutes(parts.metrics(), parts.ready(),
        config.server().opsKey().map(key -> AccessKey.of(key.value())), ingress.unrouted());
    this.proxyHttp = new ProxyHttpRoute(config, new Envelope(parts.clock()));
    this.passThrough = new PassThroughRoute(config, new Problem(parts.clock()), parts.clock());
    this.llm = new Router.LlmRoutes(new ProxyLlmRoute(config, parts.clock()), new OpenAiRoute(config, parts.clock()),
        new ModelsRoute(config, snapshot.keys(), parts.rateLimit(), parts.events(), parts.clock()), new ResponsesRoute(config, parts.clock()),
        new AnthropicRoute(config, parts.clock()), new CountTokensRoute(config, parts.clock(), TokenCounter.shared()));
    this.embeddings = new EmbeddingsRoute(config, parts.clock());
  }

  /**
   * Builds the routes of {@code snapshot}, reusing the clients of {@code previous} (may be null) that still fit:
   * one client per target, or per deployment of a target with deployments ({@link UpstreamClient#key}). A new client
   * takes the connection places its name has among this event loop's {@code places}.
   */
  static LoopRoutes build(Vertx vertx, ServerParts parts, PoolPlaces places, Snapshot snapshot, LoopRoutes previous) {
    Map<String, UpstreamClient> upstreams = new LinkedHashMap<>();
    for (TargetConfig target : snapshot.config().targets().values()) {
      if (target.deployments().isEmpty()) {
        client(vertx, parts, places, previous, upstreams, target.name(), target);
      }
      for (DeploymentConfig deployment : target.deployments()) {
        client(vertx, parts, places, previous, upstreams, UpstreamClient.key(target.name(), deployment.name()),
            target.forDeployment(deployment));
      }
    }
    return new LoopRoutes(vertx, snapshot, upstreams, parts);
  }

  private static void client(Vertx vertx, ServerParts parts, PoolPlaces places, LoopRoutes previous,
      Map<String, UpstreamClient> upstreams, String key, TargetConfig target) {
    UpstreamClient old = previous == null ? null : previous.upstreams.get(key);
    upstreams.put(key, old != null && old.target().equals(target) ? old : parts.upstream().make(vertx, target, places, key));
  }

  /** Returns this routes' clients that {@code next} does not use. */
  List<UpstreamClient> notUsedBy(LoopRoutes next) {
    Map<UpstreamClient, Boolean> kept = new IdentityHashMap<>();
    next.upstreams.values().forEach(c -> kept.put(c, true));
    List<UpstreamClient> out = new ArrayList<>();
    for (UpstreamClient client : upstreams.values()) {
      if (!kept.containsKey(client)) {
        out.add(client);
      }
    }
    return out;
  }
}
