package io.reliapi.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway certificate authority for tests, made with {@code openssl}: a CA, a server certificate for
 * 127.0.0.1 (in its subject alternative names, as hostname verification wants) and a client certificate,
 * all signed by the CA, each with its PEM key (P-256, quick to make). Fails (never skips) when
 * {@code openssl} is missing: `.ci/run` and `bin/test` install it.
 */
public record TestCertificates(Path caCert, Path serverCert, Path serverKey, Path clientCert, Path clientKey) {

  public static TestCertificates create(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
      openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
          "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=reliapi-test-ca");
      signed(dir, "server", "server.ext");
      signed(dir, "client", null);
      return new TestCertificates(dir.resolve("ca.crt"), dir.resolve("server.crt"), dir.resolve("server.key"),
          dir.resolve("client.crt"), dir.resolve("client.key"));
    } catch (IOException e) {
      throw new IllegalStateException("could not write test certificates", e);
    }
  }

  /** A certificate this CA signed and its PEM key. */
  public record Issued(Path cert, Path key) {}

  /**
   * Signs a server certificate that names only {@code dnsName} ({@code name.crt}, {@code name.key} beside the CA): a
   * certificate for another host than the one a client dials.
   */
  public Issued serverFor(String name, String dnsName) {
    return serverNaming(name, "DNS:" + dnsName);
  }

  /** Signs a server certificate whose subject alternative names are {@code names} (e.g. {@code "IP:::1"}). */
  public Issued serverNaming(String name, String names) {
    Path dir = caCert.getParent();
    write(dir.resolve(name + ".ext"), "subjectAltName=" + names + "\n");
    signed(dir, name, name + ".ext");
    return new Issued(dir.resolve(name + ".crt"), dir.resolve(name + ".key"));
  }

  /**
   * Signs a server certificate for 127.0.0.1 and localhost that was valid for one day in January 2020 ({@code x509
   * -req} takes no past dates, {@code openssl ca} does).
   */
  public Issued expiredServer(String name) {
    Path dir = caCert.getParent();
    write(dir.resolve(name + ".cnf"), """
        [ca]
        default_ca = test
        [test]
        database = %1$s.index
        new_certs_dir = .
        serial = %1$s.serial
        default_md = sha256
        policy = any
        [any]
        commonName = supplied
        """.formatted(name));
    write(dir.resolve(name + ".index"), "");
    write(dir.resolve(name + ".serial"), "1000\n");
    openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=reliapi-test-" + name);
    openssl(dir, "ca", "-batch", "-config", name + ".cnf", "-cert", "ca.crt", "-keyfile", "ca.key", "-in", name + ".csr",
        "-out", name + ".crt", "-notext", "-startdate", "20200101000000Z", "-enddate", "20200102000000Z",
        "-extfile", "server.ext");
    return new Issued(dir.resolve(name + ".crt"), dir.resolve(name + ".key"));
  }

  /** Signs a client certificate with a 2048-bit RSA key written as PKCS#1 ({@code BEGIN RSA PRIVATE KEY}). */
  public Issued rsaClient(String name) {
    Path dir = caCert.getParent();
    openssl(dir, "genrsa", "-traditional", "-out", name + ".key", "2048");
    openssl(dir, "req", "-new", "-key", name + ".key", "-out", name + ".csr", "-subj", "/CN=reliapi-test-" + name);
    openssl(dir, "x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", name + ".crt", "-days", "2");
    return new Issued(dir.resolve(name + ".crt"), dir.resolve(name + ".key"));
  }

  /**
   * Writes {@code key} again as {@code name} in another form, with {@code openssl pkey|rsa|ec} and {@code options}:
   * {@code ("ec", "x.key")} gives SEC1 ({@code BEGIN EC PRIVATE KEY}), {@code "-aes128", "-passout", "pass:x"} an
   * encrypted key.
   */
  public Path rewrittenKey(Path key, String name, String command, String... options) {
    Path dir = caCert.getParent();
    List<String> args = new java.util.ArrayList<>(List.of(command, "-in", key.toString(), "-out", name));
    args.addAll(List.of(options));
    openssl(dir, args.toArray(String[]::new));
    return dir.resolve(name);
  }

  /**
   * Bundles a certificate and its key as PKCS#12 ({@code name}, password {@code test}) for a JDK client's key store.
   */
  public Path pkcs12(Path cert, Path key, String name) {
    Path dir = caCert.getParent();
    openssl(dir, "pkcs12", "-export", "-in", cert.toString(), "-inkey", key.toString(), "-out", name,
        "-passout", "pass:test");
    return dir.resolve(name);
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new IllegalStateException("could not write test certificates", e);
    }
  }

  private static void signed(Path dir, String name, String extensions) {
    openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=reliapi-test-" + name);
    List<String> sign = new java.util.ArrayList<>(List.of("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt",
        "-CAkey", "ca.key", "-CAcreateserial", "-out", name + ".crt", "-days", "2"));
    if (extensions != null) {
      sign.addAll(List.of("-extfile", extensions));
    }
    openssl(dir, sign.toArray(String[]::new));
  }

  private static void openssl(Path dir, String... args) {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(dir.resolve("openssl.log").toFile()).start();
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("openssl " + args[0] + " failed (see " + dir.resolve("openssl.log") + ")");
      }
    } catch (IOException e) {
      throw new IllegalStateException("openssl is required for these tests (apt-get install openssl)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while making certificates", e);
    }
  }
}
