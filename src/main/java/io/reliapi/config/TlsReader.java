package io.reliapi.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a {@code tls} block, the same shape wherever it is written ({@code redis.tls}, {@code targets.<name>.tls}):
 * each file must exist and be readable, and a client certificate goes with its key.
 */
final class TlsReader {
  private static final Pattern PRIVATE_KEY = Pattern.compile("-----BEGIN (RSA |EC )?PRIVATE KEY-----");

  private TlsReader() {}

  static Optional<TlsFiles> read(Node n) {
    if (!n.mapping(ConfigReader.SCHEMA.get("tls"))) {
      return Optional.empty();
    }
    Optional<String> ca = file(n.field("ca_file"));
    Optional<String> cert = file(n.field("cert_file"));
    Optional<String> key = file(n.field("key_file"));
    if (cert.isPresent() != key.isPresent()) {
      n.problems().add(n.path(), "cert_file and key_file go together (a client certificate and its key)");
    }
    return Optional.of(new TlsFiles(ca, cert, key));
  }

  /**
   * Reads a target's block and the PEM text of its files, checked now so that a wrong file stops the start (or the
   * reload) instead of failing every handshake: certificates must parse, the key must be an unencrypted PEM key.
   */
  static Optional<TargetTls> readWithPem(Node n) {
    return read(n).map(files -> new TargetTls(files,
        files.caFile().flatMap(path -> certificates(n.field("ca_file"), path)),
        files.certFile().flatMap(path -> certificates(n.field("cert_file"), path)),
        files.keyFile().flatMap(path -> privateKey(n.field("key_file"), path))));
  }

  private static Optional<String> file(Node n) {
    if (!n.present()) {
      return Optional.empty();
    }
    String path = n.text("");
    if (!Files.isReadable(Path.of(path))) {
      n.problem("names a file that does not exist or cannot be read");
    }
    return Optional.of(path);
  }

  private static Optional<String> certificates(Node n, String path) {
    Optional<String> pem = text(path);
    try {
      if (pem.isPresent() && !CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.get().getBytes(StandardCharsets.ISO_8859_1))).isEmpty()) {
        return pem;
      }
    } catch (CertificateException e) {
      // reported below, without the parser's words (they may quote the file)
    }
    if (pem.isPresent()) {
      n.problem("must hold PEM certificates (-----BEGIN CERTIFICATE-----)");
    }
    return Optional.empty();
  }

  private static Optional<String> privateKey(Node n, String path) {
    Optional<String> pem = text(path);
    if (pem.isPresent() && !PRIVATE_KEY.matcher(pem.get()).find()) {
      n.problem("must hold an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----, RSA or EC)");
      return Optional.empty();
    }
    return pem;
  }

  /** The file's text; empty when it cannot be read (already reported by {@link #file}). */
  private static Optional<String> text(String path) {
    try {
      return Optional.of(Files.readString(Path.of(path), StandardCharsets.ISO_8859_1));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
