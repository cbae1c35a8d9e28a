package io.reliapi.server;

import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Names a failed TLS handshake as the {@code reason} of {@code reliapi_tls_handshake_failures_total}, from a fixed set
 * (the exception's words may quote what the client sent, so they are never a label or a log line). Pure.
 */
final class HandshakeFailures {
  private HandshakeFailures() {}

  /**
   * {@code timeout}: the handshake did not finish in time (a client that connects and sends nothing, or half a
   * ClientHello); {@code not_tls}: the client spoke something else (plain HTTP to the HTTPS port); {@code closed}: the
   * client hung up mid-handshake, which is what a client that does not trust the gateway's certificate does (the JDK's
   * client sends no alert); {@code refused}: the two sides did not agree (no shared protocol version or cipher, a client
   * certificate missing or not signed by {@code client_ca_file}, an alert from the client); {@code other}: anything
   * else.
   */
  static String reason(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SslHandshakeTimeoutException) {
        return "timeout";
      }
      if (t instanceof NotSslRecordException) {
        return "not_tls";
      }
      if (t instanceof ClosedChannelException) {
        return "closed";
      }
      if (t instanceof SSLHandshakeException) {
        return "refused";
      }
    }
    return "other";
  }
}
