package io.reliapi.upstream;

import io.reliapi.config.TargetTls;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The TLS side of a target's client: hostname verification always, the URL's host name as SNI, the CA of the target's
 * {@code tls} block instead of the JVM's CAs when it names one, and its client certificate. The PEM text was read with
 * the config, so making a client reads no file.
 */
final class ClientTls {
  /** An IPv4 literal as a URL's host ("127.0.0.1", or the short forms "127.1" some parsers accept). */
  private static final Pattern IPV4 = Pattern.compile("[0-9.]+");

  private ClientTls() {}

  /** Sets the TLS options of a client that calls {@code host} (a URL's host, an IPv6 address in brackets). */
  static HttpClientOptions apply(HttpClientOptions options, boolean ssl, String host, Optional<TargetTls> tls) {
    options.setSsl(ssl).setVerifyHost(true).setForceSni(ssl && indicatesServerName(host));
    if (!ssl || tls.isEmpty()) {
      return options;
    }
    TargetTls files = tls.get();
    files.caPem().ifPresent(ca -> options.setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(ca))));
    if (files.certPem().isPresent() && files.keyPem().isPresent()) {
      options.setKeyCertOptions(new PemKeyCertOptions()
          .setCertValue(Buffer.buffer(files.certPem().get()))
          .setKeyValue(Buffer.buffer(files.keyPem().get())));
    }
    return options;
  }

  /**
   * Returns whether the handshake names {@code host} (SNI). The JDK's engine, left to itself, names only host names with
   * a dot, so a single-label name ({@code localhost}, a Kubernetes service, an internal alias) would reach a server that
   * picks its certificate by name, or refuses handshakes without one, nameless. An address is never a server name (RFC
   * 6066), and a name ending in a dot is left to the JDK, which drops the dot.
   */
  static boolean indicatesServerName(String host) {
    return !host.isEmpty() && !host.endsWith(".") && host.indexOf(':') < 0 && !host.startsWith("[")
        && !IPV4.matcher(host).matches();
  }
}
