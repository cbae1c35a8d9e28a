package io.reliapi.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

/**
 * The PEM text of a {@code tls} block's files for a client that takes PEM bytes and reads keys only in PKCS#8 (the
 * OpenTelemetry exporter): the key, whichever of the forms the config accepts it was written in, comes back as
 * {@code BEGIN PRIVATE KEY}. Read when that client is built; the files were checked when the config loaded.
 */
public record ClientPem(Optional<byte[]> ca, Optional<byte[]> cert, Optional<byte[]> pkcs8Key) {
  /** Reads {@code files}; a file gone or changed into something unreadable since the config loaded is an error. */
  public static ClientPem read(TlsFiles files) {
    Optional<byte[]> key = files.keyFile().map(ClientPem::text)
        .map(pem -> PemKey.read(pem).orElseThrow(() -> new IllegalStateException("key_file holds no usable key")))
        .map(k -> ("-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
            .encodeToString(k.getEncoded()) + "\n-----END PRIVATE KEY-----\n").getBytes(StandardCharsets.US_ASCII));
    return new ClientPem(files.caFile().map(ClientPem::bytes), files.certFile().map(ClientPem::bytes), key);
  }

  private static String text(String path) {
    return new String(bytes(path), StandardCharsets.US_ASCII);
  }

  private static byte[] bytes(String path) {
    try {
      return Files.readAllBytes(Path.of(path));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read a tls file", e);
    }
  }
}
