package io.reliapi.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a {@code tls} block, the same shape wherever it is written ({@code redis.tls}, {@code targets.<name>.tls}):
 * each file must exist and be readable, and a client certificate goes with its key.
 */
final class TlsReader {
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
   * reload) instead of failing every handshake: certificates must parse, the key must be an unencrypted PEM key that
   * the TLS client reads ({@link PemKey}) and the private half of the client certificate.
   */
  static Optional<TargetTls> readWithPem(Node n) {
    return read(n).map(files -> {
      Optional<String> ca = files.caFile().flatMap(path -> certificates(n.field("ca_file"), path));
      Optional<String> cert = files.certFile().flatMap(path -> certificates(n.field("cert_file"), path));
      Optional<String> key = files.keyFile().flatMap(path -> privateKey(n.field("key_file"), path, cert));
      return new TargetTls(files, ca, cert, key);
    });
  }

  /**
   * Reads {@code server.tls}: the listener's certificate and key (both required, the key the private half of the
   * certificate) and, for client certificates, the CA bundle they must be signed by; {@code client_auth} other than
   * {@code none} needs that bundle, and the bundle without it would check nothing.
   */
  static Optional<ServerTls> readServer(Node n) {
    if (!n.mapping(ConfigReader.SCHEMA.get("server.tls"))) {
      return Optional.empty();
    }
    Node certNode = n.field("cert_file");
    Node keyNode = n.field("key_file");
    String certFile = certNode.requiredText();
    String keyFile = keyNode.requiredText();
    Optional<String> caFile = file(n.field("client_ca_file"));
    ServerTls.ClientAuth auth = n.field("client_auth").choice(Node.words(
        Map.entry("none", ServerTls.ClientAuth.NONE),
        Map.entry("request", ServerTls.ClientAuth.REQUEST),
        Map.entry("require", ServerTls.ClientAuth.REQUIRE)), ServerTls.ClientAuth.NONE);
    if (auth != ServerTls.ClientAuth.NONE && caFile.isEmpty()) {
      n.field("client_auth").problem("needs client_ca_file (the CA that signs the client certificates)");
    }
    if (auth == ServerTls.ClientAuth.NONE && caFile.isPresent()) {
      n.field("client_ca_file").problem("checks nothing while client_auth is none: set client_auth to require or request");
    }
    Optional<String> cert = certFile.isEmpty() ? Optional.<String>empty() : file(certNode)
        .flatMap(path -> certificates(certNode, path));
    Optional<String> key = keyFile.isEmpty() ? Optional.<String>empty() : file(keyNode)
        .flatMap(path -> privateKey(keyNode, path, cert));
    Optional<String> ca = caFile.flatMap(path -> certificates(n.field("client_ca_file"), path));
    if (cert.isEmpty() || key.isEmpty() || (caFile.isPresent() && ca.isEmpty())) {
      return Optional.empty();  // reported above: the config is refused
    }
    return Optional.of(new ServerTls(certFile, keyFile, caFile, auth, cert.get(), key.get(), ca));
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
    if (pem.isPresent() && parsed(pem.get()).isEmpty()) {
      n.problem("must hold PEM certificates (-----BEGIN CERTIFICATE-----)");
      return Optional.empty();
    }
    return pem;
  }

  /** The certificates in {@code pem}, the first the holder's; empty when it holds none or one does not parse. */
  private static List<? extends Certificate> parsed(String pem) {
    try {
      return List.copyOf(CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.ISO_8859_1))));
    } catch (CertificateException e) {
      // reported by the caller, without the parser's words (they may quote the file)
      return List.of();
    }
  }

  private static Optional<String> privateKey(Node n, String path, Optional<String> certificate) {
    Optional<String> pem = text(path);
    Optional<PrivateKey> key = pem.flatMap(PemKey::read);
    if (pem.isPresent() && key.isEmpty()) {
      n.problem("must hold an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----, RSA or EC)");
      return Optional.empty();
    }
    if (key.isPresent() && certificate.isPresent()
        && !PemKey.matches(key.get(), parsed(certificate.get()).getFirst().getPublicKey())) {
      n.problem("must be the key of cert_file's certificate");
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
