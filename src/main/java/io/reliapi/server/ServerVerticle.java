package io.reliapi.server;

import io.reliapi.config.ServerConfig;
import io.reliapi.upstream.UpstreamClient;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One event loop's share of the gateway: an HTTP server on the shared port, its own upstream clients
 * (connections stay on this event loop) and its own pipeline over the shared state.
 */
public final class ServerVerticle extends VerticleBase {
  private static final int MAX_HEADER_BYTES = 32 * 1024;
  private static final int MAX_INITIAL_LINE = 8 * 1024;

  private final ServerParts parts;
  private final int port;
  private HttpServer server;
  private Map<String, UpstreamClient> upstreams;

  public ServerVerticle(ServerParts parts, int port) {
    this.parts = parts;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    ServerConfig config = parts.config().server();
    upstreams = parts.upstreams().apply(vertx);
    var ingress = new Ingress(parts.clock(), parts.keys(), parts.pipelines().apply(upstreams), parts.events(),
        config.maxBodyBytes(), parts.inFlight());
    var router = new Router(ingress, new OpsRoutes(parts.metrics(), parts.ready()),
        new ProxyHttpRoute(parts.config(), new Envelope(parts.clock())),
        new PassThroughRoute(parts.config(), new Problem(parts.clock()), parts.clock()),
        new Router.LlmRoutes(new ProxyLlmRoute(parts.config(), parts.clock()),
            new OpenAiRoute(parts.config(), parts.clock()), new ModelsRoute(parts.config(), parts.keys())));
    HttpServerOptions options = new HttpServerOptions()
        .setIdleTimeout(config.idleTimeoutS())
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setMaxHeaderSize(MAX_HEADER_BYTES)
        .setMaxInitialLineLength(MAX_INITIAL_LINE)
        .setCompressionSupported(false)
        .setDecompressionSupported(false)
        .setHandle100ContinueAutomatically(true)
        // HTTP/1.1 only: with h2c on, "Upgrade: h2c" without HTTP2-Settings got an undelimited 400 and a
        // connection left open until the idle timeout (docs/operations.md).
        .setHttp2ClearTextEnabled(false)
        .setTcpNoDelay(true);
    server = vertx.createHttpServer(options).requestHandler(router);
    return server.listen(port, config.host());
  }

  /** Returns the port the server listens on. */
  public int actualPort() {
    return server.actualPort();
  }

  /** Stops accepting, lets requests in flight finish for up to {@code drainMs}, then closes. */
  public Future<Void> drain(long drainMs) {
    return server.shutdown(drainMs, TimeUnit.MILLISECONDS);
  }

  @Override
  public Future<?> stop() {
    return Future.join(upstreams.values().stream().map(UpstreamClient::close).toList());
  }
}
