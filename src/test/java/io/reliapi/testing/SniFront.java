package io.reliapi.testing;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A TLS front before a TLS server on loopback, where an SNI-routing proxy would stand: it ends each client's TLS with
 * the server certificate of {@link TestCertificates} (127.0.0.1 and localhost), records the server name the client's
 * handshake indicated, and relays the bytes over a TLS connection of its own to the server's port.
 */
public final class SniFront implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final List<String> serverNames = new CopyOnWriteArrayList<>();
  private final NetClient client;
  private final NetServer server;
  private final int targetPort;

  private SniFront(int targetPort, TestCertificates certificates) {
    this.targetPort = targetPort;
    client = vertx.createNetClient(new NetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("HTTPS")
        .setTrustOptions(new PemTrustOptions().addCertPath(certificates.caCert().toString())));
    server = vertx.createNetServer(new NetServerOptions().setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
        .setCertPath(certificates.serverCert().toString()).setKeyPath(certificates.serverKey().toString())))
        .connectHandler(this::relay);
  }

  /** Starts a front on a free loopback port before the TLS server on {@code targetPort}. */
  public static SniFront to(int targetPort, TestCertificates certificates) {
    SniFront front = new SniFront(targetPort, certificates);
    try {
      front.server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      front.close();
      throw new IllegalStateException("the TLS front could not listen", e);
    }
    return front;
  }

  public int port() {
    return server.actualPort();
  }

  /** Returns the server name each client connection indicated, in the order they were accepted ("" for none). */
  public List<String> serverNames() {
    return List.copyOf(serverNames);
  }

  private void relay(NetSocket front) {
    front.pause();
    serverNames.add(RequestedServerName.of(front.sslSession()));
    client.connect(targetPort, "127.0.0.1").onComplete(connected -> {
      if (connected.failed()) {
        front.close();
        return;
      }
      NetSocket back = connected.result();
      back.pipeTo(front);
      front.pipeTo(back);
    });
  }

  @Override
  public void close() {
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // The test is over; a slow close frees nothing it needs.
    }
  }
}
