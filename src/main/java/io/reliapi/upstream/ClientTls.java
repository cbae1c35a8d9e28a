package io.reliapi.upstream;

import io.reliapi.config.ServerNameIndication;
import io.reliapi.config.TargetTls;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.Optional;

/**
 * The TLS side of a target's client: hostname verification always, the URL's host name as SNI (when
 * {@link ServerNameIndication} allows), the CA of the target's {@code tls} block instead of the JVM's CAs when it names
 * one, and its client certificate. The PEM text was read with the config, so making a client reads no file.
 */
final class ClientTls {
  private ClientTls() {}

  /** Sets the TLS options of a client that calls {@code host} (a URL's host, an IPv6 address in brackets). */
  static HttpClientOptions apply(HttpClientOptions options, boolean ssl, String host, Optional<TargetTls> tls) {
    options.setSsl(ssl).setVerifyHost(true).setForceSni(ssl && ServerNameIndication.names(host));
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
}
