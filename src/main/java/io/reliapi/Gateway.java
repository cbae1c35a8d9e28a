package io.reliapi;

import io.reliapi.config.GatewayConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.llm.Providers;
import io.reliapi.observe.AccessLog;
import io.reliapi.observe.Events;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.observe.InternalErrorLog;
import io.reliapi.observe.Metrics;
import io.reliapi.policy.access.ClientKeys;
import io.reliapi.server.ServerParts;
import io.reliapi.server.ServerVerticle;
import io.reliapi.store.Stores;
import io.reliapi.store.redis.RedisStores;
import io.reliapi.time.Scheduler;
import io.reliapi.upstream.Credentials;
import io.reliapi.upstream.UpstreamClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wiring only: config → shared state (memory or Redis) → one server verticle per event loop. */
public final class Gateway {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  private final Vertx vertx;
  private final GatewayConfig config;
  private final List<ServerVerticle> servers = new ArrayList<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Metrics metrics = new Metrics();
  private Stores stores;
  private int port;

  private Gateway(Vertx vertx, GatewayConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /** Starts a gateway; the future completes once every event loop is listening. */
  public static Future<Gateway> start(GatewayConfig config, GatewayOptions options) {
    if (config.open()) {
      LOG.warn("NO CLIENT KEYS CONFIGURED: the gateway is open to anyone who can reach "
          + config.server().host() + ":" + config.server().port()
          + ". Configure clients or set RELIAPI_API_KEY before exposing it.");
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(options.eventLoops())
        .setPreferNativeTransport(true));
    Gateway gateway = new Gateway(vertx, config);
    // Completed from outside Vert.x: when the deployment fails, its event loops are gone by the time
    // the failure is reported.
    Promise<Gateway> started = Promise.promise();
    gateway.deploy(options).onComplete(deployed -> {
      if (deployed.succeeded()) {
        started.complete(gateway);
      } else {
        LOG.error("ReliAPI could not start: {}", StartupFailure.describe(deployed.cause()));
        vertx.close().onComplete(closed -> started.fail(deployed.cause()));
      }
    });
    return started.future();
  }

  private Future<Void> deploy(GatewayOptions options) {
    Scheduler scheduler = options.scheduler().apply(vertx);
    Future<Stores> connected = config.redis()
        .map(redis -> RedisStores.connect(vertx, redis, config.server(), options.clock(), scheduler))
        .orElseGet(() -> Future.succeededFuture(Stores.inMemory(config.server(), options.clock(), scheduler)));
    return connected.compose(shared -> {
      stores = shared;
      return deploy(options, scheduler);
    });
  }

  private Future<Void> deploy(GatewayOptions options, Scheduler scheduler) {
    GatewayEvents events = new Events(List.of(metrics, new AccessLog(), new InternalErrorLog()));
    // A handler that throws outside any future (a callback on an event loop) is a bug too.
    vertx.exceptionHandler(failure -> events.internalError("event_loop", null, failure));
    var pipelines = new PipelineFactory(config, options.clock(), scheduler, events, stores);
    int instances = options.eventLoops();
    ServerParts parts = new ServerParts(config, options.clock(), new ClientKeys(config.clients()), events, metrics,
        this::ready, pipelines::build, v -> upstreams(v, instances), inFlight);
    // Servers of every event loop listen on the same address and share its socket; with port 0 they
    // share one random port.
    List<Future<String>> deployed = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      ServerVerticle server = new ServerVerticle(parts, config.server().port());
      servers.add(server);
      deployed.add(vertx.deployVerticle(server));
    }
    return Future.all(deployed).map(all -> {
      port = servers.get(0).actualPort();
      return null;
    });
  }

  /** Returns whether to take traffic: not draining, and the stores usable (Redis answers, if configured). */
  private Future<Boolean> ready() {
    return draining.get() ? Future.succeededFuture(false) : stores.ready().get();
  }

  private Map<String, UpstreamClient> upstreams(Vertx v, int instances) {
    Map<String, UpstreamClient> clients = new LinkedHashMap<>();
    for (TargetConfig target : config.targets().values()) {
      int pool = Math.max(1, (target.maxConnections() + instances - 1) / instances);
      // An LLM target's adapter decides where its credential goes (Bearer, x-api-key, ...).
      var credentials = target.isLlm() ? Providers.credentials(target) : Credentials.forHttpTarget(target);
      clients.put(target.name(), new UpstreamClient(v, target, pool, credentials));
    }
    return clients;
  }

  public int port() {
    return port;
  }

  public GatewayConfig config() {
    return config;
  }

  /** Returns the number of proxy requests being handled right now. */
  public int inFlight() {
    return inFlight.get();
  }

  /** Stops accepting, lets requests in flight finish within {@code server.drain_timeout_ms}, then stops. */
  public Future<Void> stop() {
    draining.set(true);
    long drainMs = config.server().drainTimeoutMs();
    return Future.join(servers.stream().map(s -> s.drain(drainMs)).toList())
        .transform(drained -> stores == null ? Future.succeededFuture() : stores.close().get())
        .transform(storesClosed -> vertx.close())
        .onComplete(closed -> LOG.info("ReliAPI stopped"));
  }
}
