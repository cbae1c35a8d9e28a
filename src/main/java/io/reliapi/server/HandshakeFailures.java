package io.reliapi.server;

import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Names a failure the listener reported as the {@code reason} of {@code reliapi_tls_handshake_failures_total}, from a
 * fixed set (the exception's words may quote what the client sent, so they are never a label or a log line).
 */
final class HandshakeFailures {
  private HandshakeFailures() {}

  /**
   * {@code timeout}: the handshake did not finish in time; {@code not_tls}: the client spoke something else (plain
   * HTTP); {@code handshake}: the client and the gateway did not agree (no shared protocol or cipher, a client
   * certificate missing or not signed by {@code client_ca_file}, the client refusing the gateway's certificate, a
   * client gone mid-handshake); {@code tls}: any other TLS failure. Empty for failures that are not TLS (a reset of an
   * open connection), which are not counted here.
   */
  static Optional<String> reason(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      Optional<String> reason = named(t);
      if (reason.isPresent()) {
        return reason;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> named(Throwable failure) {
    if (failure instanceof SslHandshakeTimeoutException) {
      return Optional.of("timeout");
    }
    if (failure instanceof NotSslRecordException) {
      return Optional.of("not_tls");
    }
    if (failure instanceof SSLHandshakeException) {
      return Optional.of("handshake");
    }
    if (failure instanceof SSLException) {
      return Optional.of("tls");
    }
    return Optional.empty();
  }
}
