package io.reliapi.server;

import io.reliapi.config.ServerConfig;
import io.reliapi.config.ServerTls;
import io.reliapi.time.Scheduler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One event loop's share of the gateway: an HTTP server on the shared port and a {@link Router} with this
 * event loop's own upstream clients (connections stay on this event loop) and pipeline over the shared state.
 */
public final class ServerVerticle extends VerticleBase {
  private static final int MAX_HEADER_BYTES = 32 * 1024;
  private static final int MAX_INITIAL_LINE = 8 * 1024;
  /** How long requests ended at the end of a drain have to write their ending before their connections close. */
  static final long CUT_WRITE_MS = 1_000;

  private final ServerParts parts;
  private final int port;
  private HttpServer server;
  private Router router;
  /** The certificates new connections get; a reload that changes them hands the listener new ones. */
  private volatile Optional<ServerTls> tls;

  public ServerVerticle(ServerParts parts, int port) {
    this.parts = parts;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    ServerConfig config = parts.current().get().config().server();
    // Idle connections are closed by IdleClients, which knows when a request is in flight; Vert.x's idle timeout
    // (none set here) would also close a connection waiting for a slow answer.
    HttpServerOptions options = new HttpServerOptions()
        .setMaxHeaderSize(MAX_HEADER_BYTES)
        .setMaxInitialLineLength(MAX_INITIAL_LINE)
        .setCompressionSupported(false)
        .setDecompressionSupported(false)
        // 100 Continue only once a body is wanted (InboundBody.invite): Vert.x would invite every body, even one
        // about to be refused 401 or 413.
        .setHandle100ContinueAutomatically(false)
        // HTTP/1.1 only: with h2c on, "Upgrade: h2c" without HTTP2-Settings got an undelimited 400 and a
        // connection left open until the idle timeout (docs/operations.md).
        .setHttp2ClearTextEnabled(false)
        // No WebSockets are served: without compression support no extension handler sits in every
        // connection's pipeline (see Gateway.start for the rest of WebSocket handling).
        .setPerFrameWebSocketCompressionSupported(false)
        .setPerMessageWebSocketCompressionSupported(false)
        .setTcpNoDelay(true);
    tls = config.tls();
    tls.ifPresent(files -> ListenerTls.apply(options, files, config.idleTimeoutS()));
    // server.max_connections is counted when a connection is accepted (AcceptGate), before any TLS handshake.
    IdleClients idle = new IdleClients(vertx, TimeUnit.SECONDS.toMillis(config.idleTimeoutS()));
    router = new Router(vertx, parts);
    server = vertx.createHttpServer(options)
        .connectionHandler(connection -> {
          // An open connection's failures (a client's reset) go to its request, not to the server's handler below.
          connection.exceptionHandler(failure -> {});
          FlushBeforeClose.install(connection);
          idle.connected(connection);
        })
        .requestHandler(request -> {
          // A request already read on a connection that has closed, or was told it closes: it is never served.
          if (idle.requestArrived(request)) {
            router.handle(request);
          }
        })
        .invalidRequestHandler(request -> {
          if (idle.requestArrived(request)) {
            router.malformed(request);
          }
        });
    if (tls.isPresent()) {
      // What reaches the server's handler failed before Vert.x made a connection of it: the TLS handshake.
      server.exceptionHandler(failure -> parts.metrics().tlsHandshakeFailed(HandshakeFailures.reason(failure)));
    }
    return server.listen(port, config.host());
  }

  /**
   * Hands the listener the certificates of the current snapshot when they differ from the ones it serves: new
   * connections get them, connections open keep theirs. True when the listener changed. Turning TLS on or off is
   * restart-only (RestartOnly), so a plain listener stays plain.
   */
  public Future<Boolean> updateTls() {
    Optional<ServerTls> wanted = parts.current().get().config().server().tls();
    if (tls.isEmpty() || wanted.isEmpty() || wanted.equals(tls)) {
      return Future.succeededFuture(false);
    }
    return server.updateSSLOptions(ListenerTls.sslOptions(wanted.get()), true).onSuccess(changed -> tls = wanted);
  }

  /** Returns the port the server listens on. */
  public int actualPort() {
    return server.actualPort();
  }

  /** Moves this event loop to the current snapshot now, rather than at its next request. */
  public Future<Void> refresh() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      router.refresh();
      done.complete();
    });
    return done.future();
  }

  /** Returns the proxy requests this event loop is serving. */
  public int inFlight() {
    return router == null ? 0 : router.inFlight();
  }

  /**
   * Stops accepting and lets requests in flight finish for up to {@code drainMs}; then ends those still running,
   * each in its route's shape (a stream with its error event: {@link DrainCut}), and closes once they are written,
   * or {@link #CUT_WRITE_MS} later at most.
   */
  public Future<Void> drain(long drainMs) {
    Promise<Scheduler.Cancellable> cut = Promise.promise();
    context.runOnContext(v -> cut.complete(parts.scheduler().schedule(drainMs, router::drainEnded)));
    return server.shutdown(drainMs + CUT_WRITE_MS, TimeUnit.MILLISECONDS)
        .andThen(closed -> context.runOnContext(v -> cut.future().onSuccess(Scheduler.Cancellable::cancel)));
  }

  @Override
  public Future<?> stop() {
    return router.close();
  }
}
