package io.reliapi.server;

import io.reliapi.config.ServerTls;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The TLS side of the gateway's listener ({@code server.tls}): the certificate and key from the PEM text read with the
 * config (no file is read here), TLS 1.2 and 1.3 only, HTTP/1.1 only (no ALPN, so no h2: every route is built and
 * tested on HTTP/1.1), and client certificates checked against {@code client_ca_file} when {@code client_auth} asks.
 */
final class ListenerTls {
  static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
  /** The longest a handshake may take, however slowly its bytes arrive, when {@code idle_timeout_s} is longer. */
  static final long MAX_HANDSHAKE_S = 10;

  private ListenerTls() {}

  /**
   * How long a connection may take to finish its handshake: {@code idle_timeout_s}, at most {@link #MAX_HANDSHAKE_S}.
   * The idle rule starts once the handshake is done (Vert.x shows the connection only then), so this is its rule
   * before: a client that connects and sends nothing, or half a ClientHello, is closed.
   */
  static long handshakeTimeoutS(int idleTimeoutS) {
    return Math.min(idleTimeoutS, MAX_HANDSHAKE_S);
  }

  /** Makes {@code options} serve TLS with {@code tls}. */
  static HttpServerOptions apply(HttpServerOptions options, ServerTls tls, int idleTimeoutS) {
    ServerSSLOptions ssl = sslOptions(tls);
    options.setSsl(true)
        .setUseAlpn(false)
        .setEnabledSecureTransportProtocols(PROTOCOLS)
        .setSslHandshakeTimeout(handshakeTimeoutS(idleTimeoutS))
        .setSslHandshakeTimeoutUnit(TimeUnit.SECONDS)
        .setKeyCertOptions(ssl.getKeyCertOptions())
        .setClientAuth(ssl.getClientAuth());
    if (ssl.getTrustOptions() != null) {
      options.setTrustOptions(ssl.getTrustOptions());
    }
    return options;
  }

  /** The options a reload hands to the running listener: the same as {@link #apply}'s, for new connections. */
  static ServerSSLOptions sslOptions(ServerTls tls) {
    ServerSSLOptions ssl = new ServerSSLOptions()
        .setUseAlpn(false)
        .setEnabledSecureTransportProtocols(PROTOCOLS)
        .setKeyCertOptions(new PemKeyCertOptions()
            .setCertValue(Buffer.buffer(tls.certPem()))
            .setKeyValue(Buffer.buffer(tls.keyPem())))
        .setClientAuth(switch (tls.clientAuth()) {
          case NONE -> ClientAuth.NONE;
          case REQUEST -> ClientAuth.REQUEST;
          case REQUIRE -> ClientAuth.REQUIRED;
        });
    tls.clientCaPem().ifPresent(ca -> ssl.setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(ca))));
    return ssl;
  }
}
