package io.reliapi.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A programmable upstream on a real socket. Each route ({@code "GET /path"}, or {@code "* /path"} for any
 * method) has a queue of scripted {@link Behavior}s used one per request; when the queue is empty the
 * route's default runs (out of the box: 200 echoing the request as JSON). Every request is recorded and
 * counted per path and per idempotency key, so tests can assert exactly how many calls arrived. It speaks HTTPS
 * when started with {@link #startTls}.
 */
public final class MockUpstream implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final RouteScripts scripts = new RouteScripts();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final List<Recorded> recorded = new CopyOnWriteArrayList<>();

  private final AtomicInteger openConnections = new AtomicInteger();
  private final AtomicInteger connectionsOpened = new AtomicInteger();
  private final List<String> serverNames = new CopyOnWriteArrayList<>();
  private final boolean tls;

  private MockUpstream(HttpServerOptions options) {
    tls = options.isSsl();
    server = vertx.createHttpServer(options).requestHandler(this::handle).connectionHandler(connection -> {
      openConnections.incrementAndGet();
      connectionsOpened.incrementAndGet();
      if (tls) {
        serverNames.add(RequestedServerName.of(connection.sslSession()));
      }
      connection.closeHandler(v -> openConnections.decrementAndGet());
    });
  }

  /** Returns the server name (SNI) each TLS connection indicated, in the order they were accepted ("" for none). */
  public List<String> serverNames() {
    return List.copyOf(serverNames);
  }

  /** Returns how many client connections are open to this upstream now. */
  public int openConnections() {
    return openConnections.get();
  }

  /** Returns how many client connections this upstream has accepted since it started, closed ones included. */
  public int connectionsOpened() {
    return connectionsOpened.get();
  }

  public static MockUpstream start() {
    return start(0);
  }

  /** Starts listening on {@code port} (0 for any free port), e.g. where a gateway target already points. */
  public static MockUpstream start(int port) {
    return listen(new MockUpstream(new HttpServerOptions()), port, "127.0.0.1");
  }

  /**
   * Starts an HTTPS upstream on any free port showing {@code cert} (its PEM {@code key}); with {@code clientCa}, it
   * demands a client certificate signed by that CA.
   */
  public static MockUpstream startTls(Path cert, Path key, Path clientCa) {
    return startTls(cert, key, clientCa, "127.0.0.1");
  }

  /** {@link #startTls(Path, Path, Path)} listening on {@code address} (e.g. {@code "::1"}). */
  public static MockUpstream startTls(Path cert, Path key, Path clientCa, String address) {
    HttpServerOptions options = new HttpServerOptions().setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString()));
    if (clientCa != null) {
      options.setClientAuth(ClientAuth.REQUIRED).setTrustOptions(new PemTrustOptions().addCertPath(clientCa.toString()));
    }
    return listen(new MockUpstream(options), 0, address);
  }

  /** Makes an HTTPS upstream show {@code cert} (its PEM {@code key}) on the connections it accepts from now on. */
  public void showCertificate(Path cert, Path key) {
    try {
      server.updateSSLOptions(new ServerSSLOptions().setKeyCertOptions(
          new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString()))).await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("mock upstream could not change its certificate", e);
    }
  }

  private static MockUpstream listen(MockUpstream mock, int port, String address) {
    try {
      mock.server.listen(port, address).await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("mock upstream could not listen", e);
    }
    return mock;
  }

  public int port() {
    return server.actualPort();
  }

  /** Its URL by address: {@code http://127.0.0.1:port}, or {@code https://} when it speaks TLS. */
  public String baseUrl() {
    return (tls ? "https" : "http") + "://127.0.0.1:" + port();
  }

  /** Its URL naming {@code host} (which must resolve to 127.0.0.1), e.g. {@code https://localhost:port}. */
  public String url(String host) {
    return (tls ? "https" : "http") + "://" + host + ":" + port();
  }

  /** Queues behaviors for {@code route} (e.g. {@code "GET /users"} or {@code "* /pay"}), used in order. */
  public MockUpstream script(String route, Behavior... behaviors) {
    scripts.script(route, behaviors);
    return this;
  }

  /** Sets what {@code route} does once its script is used up. */
  public MockUpstream otherwise(String route, Behavior behavior) {
    scripts.otherwise(route, behavior);
    return this;
  }

  /** Returns how many requests arrived for {@code path} (without query), any method. */
  public int count(String path) {
    AtomicInteger n = counts.get("path:" + path);
    return n == null ? 0 : n.get();
  }

  /** Returns how many requests arrived carrying {@code Idempotency-Key: key}. */
  public int countKey(String key) {
    AtomicInteger n = counts.get("key:" + key);
    return n == null ? 0 : n.get();
  }

  public int total() {
    return recorded.size();
  }

  public List<Recorded> requests() {
    return List.copyOf(recorded);
  }

  public Recorded last() {
    return recorded.get(recorded.size() - 1);
  }

  public void reset() {
    scripts.clear();
    counts.clear();
    recorded.clear();
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      Recorded r = new Recorded(request.method().name(), request.uri(), request.path(),
          MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), body);
      recorded.add(r);
      counts.computeIfAbsent("path:" + request.path(), k -> new AtomicInteger()).incrementAndGet();
      String key = request.getHeader("Idempotency-Key");
      if (key != null) {
        counts.computeIfAbsent("key:" + key, k -> new AtomicInteger()).incrementAndGet();
      }
      scripts.next(request.method().name(), request.path()).respond(new Call(vertx, request, r));
    });
  }

  @Override
  public void close() {
    vertx.close();
  }

  /** A request as the upstream saw it. */
  public record Recorded(String method, String uri, String path, MultiMap headers, Buffer body) {
    public String header(String name) {
      return headers.get(name);
    }

    public String bodyText() {
      return body.toString();
    }
  }

  /** The request being answered, with the means to answer it. */
  public record Call(Vertx vertx, HttpServerRequest request, Recorded recorded) {}
}
