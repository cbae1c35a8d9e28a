package io.reliapi.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code server.tls}: the listener's certificate and key read and checked when the config loads (a wrong file stops the
 * start or the reload, naming the key path and never the key), and the rules of client certificates.
 */
class ServerTlsConfigTest {
  private static TestCertificates certs;
  private static TestCertificates other;
  private static Path notPem;

  @BeforeAll
  static void makeCertificates() throws IOException {
    Path dir = Files.createTempDirectory("reliapi-server-tls");
    certs = TestCertificates.create(dir.resolve("ca"));
    other = TestCertificates.create(dir.resolve("other"));
    notPem = Files.writeString(dir.resolve("not.pem"), "not a certificate\n");
  }

  private static GatewayConfig load(String tls) {
    return ConfigLoader.parse("server: {tls: " + tls + "}\ntargets: {api: {base_url: 'http://127.0.0.1:9'}}\n",
        name -> null);
  }

  private static List<String> problems(String tls) {
    try {
      load(tls);
      throw new AssertionError("expected problems with " + tls);
    } catch (ConfigException e) {
      return e.problems();
    }
  }

  private static String files(Path cert, Path key) {
    return "cert_file: '" + cert + "', key_file: '" + key + "'";
  }

  @Test
  void readsTheCertificateKeyAndClientCaWhenLoadedAndNeverShowsTheKey() throws IOException {
    ServerTls tls = load("{" + files(certs.serverCert(), certs.serverKey()) + ", client_ca_file: '" + certs.caCert()
        + "', client_auth: require}").server().tls().orElseThrow();
    assertThat(tls.certPem()).isEqualTo(Files.readString(certs.serverCert()));
    assertThat(tls.keyPem()).isEqualTo(Files.readString(certs.serverKey()));
    assertThat(tls.clientCaPem()).contains(Files.readString(certs.caCert()));
    assertThat(tls.clientAuth()).isEqualTo(ServerTls.ClientAuth.REQUIRE);
    assertThat(tls.toString()).contains(certs.serverKey().toString()).doesNotContain("PRIVATE KEY");
  }

  @Test
  void plainHttpWhenAbsentAndNoClientCertificatesByDefault() {
    assertThat(ConfigLoader.parse("targets: {api: {base_url: 'http://127.0.0.1:9'}}", name -> null).server().tls())
        .isEmpty();
    assertThat(load("{" + files(certs.serverCert(), certs.serverKey()) + "}").server().tls().orElseThrow().clientAuth())
        .isEqualTo(ServerTls.ClientAuth.NONE);
  }

  @Test
  void certificateAndKeyAreBothRequired() {
    assertThat(problems("{cert_file: '" + certs.serverCert() + "'}"))
        .containsExactly("server.tls.key_file: is required (got nothing)");
    assertThat(problems("{key_file: '" + certs.serverKey() + "'}"))
        .containsExactly("server.tls.cert_file: is required (got nothing)");
  }

  @Test
  void aMissingFileIsNamedByItsKeyPath() {
    Path missing = certs.caCert().resolveSibling("missing.pem");
    assertThat(problems("{" + files(missing, certs.serverKey()) + "}")).singleElement().asString()
        .startsWith("server.tls.cert_file: names a file that does not exist or cannot be read (got \"/");
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsRefusedWithoutPrintingIt() {
    List<String> problems = problems("{" + files(certs.serverCert(), other.serverKey()) + "}");
    assertThat(problems).singleElement().asString()
        .startsWith("server.tls.key_file: must be the key of cert_file's certificate (got \"/");
    assertThat(String.join("\n", problems)).doesNotContain("PRIVATE KEY");
  }

  @Test
  void filesThatAreNotPemAreRefused() {
    assertThat(problems("{" + files(notPem, certs.serverKey()) + "}")).singleElement().asString()
        .startsWith("server.tls.cert_file: must hold PEM certificates (-----BEGIN CERTIFICATE-----) (got \"/");
    assertThat(problems("{" + files(certs.serverCert(), notPem) + "}")).singleElement().asString().startsWith(
        "server.tls.key_file: must hold an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----, RSA or EC) (got");
  }

  @Test
  void clientAuthOtherThanNoneNeedsAClientCaAndAClientCaNeedsClientAuth() {
    assertThat(problems("{" + files(certs.serverCert(), certs.serverKey()) + ", client_auth: require}"))
        .containsExactly("server.tls.client_auth: needs client_ca_file (the CA that signs the client certificates)"
            + " (got \"require\")");
    assertThat(problems("{" + files(certs.serverCert(), certs.serverKey()) + ", client_auth: request}"))
        .hasSize(1).allSatisfy(p -> assertThat(p).startsWith("server.tls.client_auth: needs client_ca_file"));
    assertThat(problems("{" + files(certs.serverCert(), certs.serverKey()) + ", client_ca_file: '" + certs.caCert()
        + "'}")).singleElement().asString().startsWith("server.tls.client_ca_file: checks nothing while client_auth is"
        + " none: set client_auth to require or request");
    assertThat(problems("{" + files(certs.serverCert(), certs.serverKey()) + ", client_auth: always}"))
        .containsExactly("server.tls.client_auth: must be one of none, request, require (got \"always\")");
  }

  @Test
  void unknownKeysAreErrors() {
    assertThat(problems("{" + files(certs.serverCert(), certs.serverKey()) + ", ca_file: '" + certs.caCert() + "'}"))
        .hasSize(1).allSatisfy(p -> assertThat(p).startsWith("server.tls.ca_file: unknown key"));
  }

  @Test
  void turningTlsOnOrOffIsRestartOnlyButNewFilesAreNot() {
    GatewayConfig plain = ConfigLoader.parse("targets: {api: {base_url: 'http://127.0.0.1:9'}}", name -> null);
    GatewayConfig https = load("{" + files(certs.serverCert(), certs.serverKey()) + "}");
    GatewayConfig rotated = load("{" + files(other.serverCert(), other.serverKey()) + ", client_ca_file: '"
        + other.caCert() + "', client_auth: request}");
    assertThat(RestartOnly.changes(plain, https)).containsExactly(
        "server.tls: cannot change without a restart (running http, the file says https)");
    assertThat(RestartOnly.changes(https, plain)).containsExactly(
        "server.tls: cannot change without a restart (running https, the file says http)");
    assertThat(RestartOnly.changes(https, rotated)).isEmpty();
  }
}
