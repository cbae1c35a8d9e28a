package io.reliapi;

import io.reliapi.admin.AdminParts;
import io.reliapi.admin.AdminRoutes;
import io.reliapi.admin.ReloadOutcome;
import io.reliapi.admin.StatusPage;
import io.reliapi.config.GatewayConfig;
import io.reliapi.config.ServerConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.http.ByteBudget;
import io.reliapi.llm.Providers;
import io.reliapi.observe.AccessLog;
import io.reliapi.observe.Events;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.observe.InternalErrorLog;
import io.reliapi.observe.Metrics;
import io.reliapi.observe.RecentRequests;
import io.reliapi.observe.telemetry.Telemetry;
import io.reliapi.policy.ratelimit.ClientRateLimit;
import io.reliapi.server.ConnectionCap;
import io.reliapi.server.EventLoopTransport;
import io.reliapi.server.ServerParts;
import io.reliapi.server.ServerVerticle;
import io.reliapi.server.Snapshot;
import io.reliapi.store.Stores;
import io.reliapi.store.redis.RedisStores;
import io.reliapi.time.Scheduler;
import io.reliapi.upstream.PoolPlaces;
import io.reliapi.upstream.UpstreamClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wiring only: config → shared state (memory or Redis) → one server verticle per event loop, plus the
 * operator's side: telemetry, the trail ring, the admin API, and config reload through one reference to the
 * current {@link Snapshot} (each built by {@link Snapshots}).
 */
public final class Gateway {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  private final Vertx vertx;
  private final ServerConfig.Transport transport;
  private final GatewayOptions options;
  private final ConfigSource source;
  private final GatewayConfig initial;
  private final List<ServerVerticle> servers = new ArrayList<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicReference<Snapshot> current = new AtomicReference<>();
  private final Metrics metrics = new Metrics();
  private final RecentRequests recent;
  private final Telemetry telemetry;
  private final GatewayEvents events;
  /** Client connections open, counted when accepted (before a TLS handshake) by the event loops' transport. */
  private final ConnectionCap connections;
  /** The config file's state when it was read, for {@code server.watch_config}; null when not watched. */
  private final String watchedStamp;
  private final StatusPage statusPage = StatusPage.load();
  private Scheduler scheduler;
  private Stores stores;
  private Reloader reloader;
  private AdminRoutes admin;
  private ConfigWatcher watcher;
  private int port;

  private Gateway(Vertx vertx, LoadedConfig loaded, ConfigSource source, GatewayOptions options,
      ServerConfig.Transport transport, ConnectionCap connections) {
    this.vertx = vertx;
    this.connections = connections;
    this.transport = transport;
    this.options = options;
    this.source = source;
    this.initial = loaded.config();
    this.watchedStamp = initial.server().watchConfig() ? source.file().map(ConfigWatcher::stamp).orElse(null) : null;
    this.recent = new RecentRequests(initial.admin().trailSize(), options.clock());
    this.telemetry = Telemetry.start(initial.telemetry(), Version.current(), options.clock(), metrics);
    this.events = new Events(List.of(metrics, new AccessLog(), new InternalErrorLog(), recent, telemetry));
    // A handler that throws outside any future (a callback on an event loop) is a bug too.
    vertx.exceptionHandler(failure -> events.internalError("event_loop", null, failure));
  }

  /** Starts a gateway on a config that never changes; a reload finds it unchanged. */
  public static Future<Gateway> start(GatewayConfig config, GatewayOptions options) {
    ConfigSource fixed = ConfigSource.fixed(config);
    return start(fixed.load(), fixed, options);
  }

  /** Starts a gateway; the future completes once every event loop is listening. */
  public static Future<Gateway> start(LoadedConfig loaded, ConfigSource source, GatewayOptions options) {
    GatewayConfig config = loaded.config();
    if (config.open()) {
      LOG.warn("NO CLIENT KEYS CONFIGURED: the gateway is open to anyone who can reach "
          + config.server().host() + ":" + config.server().port()
          + ". Configure clients or set RELIAPI_API_KEY before exposing it.");
    }
    if (config.server().opsKey().isEmpty() && !loopback(config.server().host())) {
      LOG.warn("NO OPS KEY CONFIGURED: /metrics and /readyz answer anyone who can reach "
          + config.server().host() + ":" + config.server().port() + ". Set server.ops_key_env to require a key.");
    }
    // The gateway serves no WebSockets (a WebSocket upgrade request is handled as any other request), so
    // Vert.x need not look at every request for a handshake. Read once, when Vert.x's HTTP server class is
    // first used, so it must be set before any server starts.
    System.setProperty("vertx.disableWebsockets", "true");
    // Netty's allocators check at class initialisation whether they may emit JFR events, and the check loads
    // the JFR machinery (about 110 classes, its metadata) into every gateway whether or not anything records;
    // -Dio.netty.jfr.enabled=true turns the events back on.
    if (System.getProperty("io.netty.jfr.enabled") == null) {
      System.setProperty("io.netty.jfr.enabled", "false");
    }
    EventLoopTransport.Started<Vertx> loops;
    ConnectionCap connections = new ConnectionCap(config.server().maxConnections());
    try {
      loops = EventLoopTransport.start(config.server().transport(), EventLoopTransport::availableHere,
          transport -> Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(options.eventLoops()))
              .withTransport(EventLoopTransport.counted(transport, connections)).build(), LOG::warn);
    } catch (EventLoopTransport.Unavailable e) {
      LOG.error("ReliAPI could not start: {}", e.getMessage());
      return Future.failedFuture(e);
    }
    Vertx vertx = loops.loops();
    Gateway gateway = new Gateway(vertx, loaded, source, options, loops.transport(), connections);
    // Completed from outside Vert.x: when the deployment fails, its event loops are gone by the time
    // the failure is reported.
    Promise<Gateway> started = Promise.promise();
    gateway.deploy(loaded).onComplete(deployed -> {
      if (deployed.succeeded()) {
        started.complete(gateway);
      } else {
        LOG.error("ReliAPI could not start: {}", StartupFailure.describe(deployed.cause()));
        gateway.telemetry.close();
        vertx.close().onComplete(closed -> started.fail(deployed.cause()));
      }
    });
    return started.future();
  }

  private Future<Void> deploy(LoadedConfig loaded) {
    scheduler = options.scheduler().apply(vertx);
    Future<Stores> connected = initial.redis()
        .map(redis -> RedisStores.connect(vertx, redis, initial.server(), options.clock(), scheduler))
        .orElseGet(() -> Future.succeededFuture(Stores.inMemory(initial.server(), options.clock(), scheduler)));
    return connected.compose(shared -> {
      stores = shared;
      Snapshots snapshots = new Snapshots(options.clock(), scheduler, events, shared);
      current.set(snapshots.build(loaded, null));
      reloader = new Reloader(source, current, snapshots::build, options.clock(), events);
      return deployServers().onSuccess(listening -> PipelineFactory.warmUpVocabularies(loaded.config()));
    });
  }

  private Future<Void> deployServers() {
    int instances = options.eventLoops();
    admin = new AdminRoutes(new AdminParts(current::get, recent, stores, options.clock(),
        () -> reloader.last(), trigger -> reload(trigger)), statusPage);
    ByteBudget buffered = new ByteBudget(initial.server().maxBufferedBytes());
    metrics.serverLimits(buffered::inUse, buffered.capacity(), buffered::shed, connections::open,
        connections::refused);
    ServerParts parts = new ServerParts(current::get, options.clock(), scheduler, events, metrics, telemetry,
        this::ready, (v, target, places, key) -> upstream(v, target, instances, places, key), admin,
        new ClientRateLimit(stores.rateLimits()), buffered);
    // Servers of every event loop listen on the same address and share its socket; with port 0 they
    // share one random port.
    List<Future<String>> deployed = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      ServerVerticle server = new ServerVerticle(parts, initial.server().port());
      servers.add(server);
      deployed.add(vertx.deployVerticle(server));
    }
    return Future.all(deployed).map(all -> {
      port = servers.get(0).actualPort();
      source.file().filter(f -> initial.server().watchConfig()).ifPresent(file -> {
        watcher = new ConfigWatcher(vertx, scheduler, file, watchedStamp, trigger -> reloadNow(trigger));
        watcher.start();
      });
      return null;
    });
  }

  /** Returns whether to take traffic: not draining, and the stores usable (Redis answers, if configured). */
  private Future<Boolean> ready() {
    return draining.get() ? Future.succeededFuture(false) : stores.ready().get();
  }

  private static UpstreamClient upstream(Vertx v, TargetConfig target, int instances, PoolPlaces places, String key) {
    int pool = Math.max(1, (target.maxConnections() + instances - 1) / instances);
    // An LLM target's adapter decides where its credential goes (Bearer, x-api-key, ...).
    return new UpstreamClient(v, target, pool, Providers.credentials(target), places, key);
  }

  /**
   * Reloads the config from its source (on a worker thread, as it reads a file); the event loops move to
   * the new snapshot at once, and the answer comes once the listener has the new certificates.
   */
  public Future<ReloadOutcome> reload(String trigger) {
    return vertx.executeBlocking(() -> reloader.reload(trigger), false).compose(this::apply);
  }

  /**
   * Reloads on the calling thread, which must not be an event loop (a signal handler's, a worker); the listener takes
   * the new certificates soon after, without this thread waiting.
   */
  ReloadOutcome reloadNow(String trigger) {
    ReloadOutcome outcome = reloader.reload(trigger);
    apply(outcome);
    return outcome;
  }

  private Future<ReloadOutcome> apply(ReloadOutcome outcome) {
    if (outcome.refused()) {
      return Future.succeededFuture(outcome);
    }
    // Deployments ejected for a refused credential take requests again after a reload, changed file or not.
    stores.deployments().clearEjections();
    admin.reloaded(current.get());
    servers.forEach(ServerVerticle::refresh);
    return ListenerCertificates.update(servers).map(outcome);
  }

  public int port() {
    return port;
  }

  /** The transport the event loops run on, as {@code server.transport} names it. */
  public ServerConfig.Transport transport() {
    return transport;
  }

  /** The scheduler the gateway's timers run on. */
  public Scheduler scheduler() {
    return scheduler;
  }

  /** Returns the config running now. */
  public GatewayConfig config() {
    return current.get().config();
  }

  /** Returns the snapshot running now. */
  public Snapshot snapshot() {
    return current.get();
  }

  /** Returns the number of proxy requests being handled right now. */
  public int inFlight() {
    return servers.stream().mapToInt(ServerVerticle::inFlight).sum();
  }

  /** Stops accepting, lets requests in flight finish within {@code server.drain_timeout_ms}, then stops. */
  public Future<Void> stop() {
    draining.set(true);
    if (watcher != null) {
      watcher.stop();
    }
    long drainMs = config().server().drainTimeoutMs();
    return Future.join(servers.stream().map(s -> s.drain(drainMs)).toList())
        .transform(drained -> stores == null ? Future.succeededFuture() : stores.close().get())
        // Sends the spans still queued; it waits for the collector, so not on an event loop.
        .transform(storesClosed -> vertx.executeBlocking(() -> {
          telemetry.close();
          return null;
        }, false))
        .transform(flushed -> vertx.close())
        .onComplete(closed -> LOG.info("ReliAPI stopped"));
  }

  /**
   * Whether {@code host} is reachable from this machine only: {@code localhost} or a loopback address in any
   * spelling (127.0.0.0/8, {@code ::1}, IPv4's mapped into IPv6). Other names are not resolved.
   */
  static boolean loopback(String host) {
    String h = host.toLowerCase(Locale.ROOT).replace("[", "").replace("]", "");
    h = h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    if (h.equals("localhost")) {
      return true;
    }
    try {
      return InetAddress.ofLiteral(h).isLoopbackAddress();
    } catch (IllegalArgumentException notAnAddress) {
      return false;
    }
  }
}
