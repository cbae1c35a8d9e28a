package io.reliapi.config;

import java.util.Locale;
import java.util.Optional;

/**
 * The listener's {@code server.tls} block with the PEM text of its files, read when the config is loaded (a reload
 * reads them again, so a certificate rotated in place is a changed block): the gateway's certificate chain and key,
 * and the CA(s) a client certificate must be signed by. The key is a secret: {@link #toString()} names only files.
 */
public record ServerTls(String certFile, String keyFile, Optional<String> clientCaFile, ClientAuth clientAuth,
    String certPem, String keyPem, Optional<String> clientCaPem) {

  /** Whether a client must show a certificate signed by {@code client_ca_file}. */
  public enum ClientAuth {
    NONE, REQUEST, REQUIRE;

    /** The config file's word for it. */
    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  @Override
  public String toString() {
    return "ServerTls[cert_file=" + certFile + ", key_file=" + keyFile + ", client_ca_file="
        + clientCaFile.orElse("-") + ", client_auth=" + clientAuth.word() + "]";
  }
}
