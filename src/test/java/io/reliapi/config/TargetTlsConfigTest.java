package io.reliapi.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A target's {@code tls} block: the Redis block's shape and rules, its PEM files read and checked when loaded. */
class TargetTlsConfigTest {
  private static TestCertificates certs;
  private static Path notPem;

  @BeforeAll
  static void makeCertificates() throws IOException {
    Path dir = Files.createTempDirectory("reliapi-target-tls");
    certs = TestCertificates.create(dir.resolve("ca"));
    notPem = Files.writeString(dir.resolve("not.pem"), "not a certificate\n");
  }

  private static GatewayConfig load(String target) {
    return ConfigLoader.parse("targets:\n  api: " + target + "\n", name -> null);
  }

  private static List<String> problems(String target) {
    try {
      load(target);
      throw new AssertionError("expected problems with " + target);
    } catch (ConfigException e) {
      return e.problems();
    }
  }

  private static String tls(Path ca, Path cert, Path key) {
    return "{ca_file: '" + ca + "'" + (cert == null ? "" : ", cert_file: '" + cert + "'")
        + (key == null ? "" : ", key_file: '" + key + "'") + "}";
  }

  @Test
  void readsThePemTextOfEachFileWhenLoadedAndNeverShowsTheKey() throws IOException {
    TargetConfig api = load("{base_url: 'https://pay.internal', tls: "
        + tls(certs.caCert(), certs.clientCert(), certs.clientKey()) + "}").targets().get("api");
    TargetTls tls = api.tls().orElseThrow();
    assertThat(tls.files().caFile()).contains(certs.caCert().toString());
    assertThat(tls.caPem()).contains(Files.readString(certs.caCert()));
    assertThat(tls.certPem()).contains(Files.readString(certs.clientCert()));
    assertThat(tls.keyPem()).contains(Files.readString(certs.clientKey()));
    assertThat(api.toString()).contains(certs.clientKey().toString()).doesNotContain("PRIVATE KEY");
  }

  @Test
  void appliesToEveryDeploymentOfTheTarget() {
    TargetConfig api = load("{tls: " + tls(certs.caCert(), null, null) + ", deployments: ["
        + "{name: a, base_url: 'https://a.internal'}, {name: b, base_url: 'http://b.internal'}]}").targets().get("api");
    assertThat(api.deployments()).allSatisfy(d -> assertThat(api.forDeployment(d).tls()).isEqualTo(api.tls()));
    assertThat(api.tls()).isPresent();
  }

  @Test
  void eachFileMustExistAndCertificateAndKeyGoTogether() {
    assertThat(problems("{base_url: 'https://x', tls: {ca_file: /no/such.crt, cert_file: '" + certs.clientCert()
        + "', ca: x}}")).containsExactlyInAnyOrder(
        "targets.api.tls.ca_file: names a file that does not exist or cannot be read (got \"/no/such.crt\")",
        "targets.api.tls: cert_file and key_file go together (a client certificate and its key)",
        "targets.api.tls.ca: unknown key, did you mean \"ca_file\"?");
    assertThat(problems("{base_url: 'https://x', tls: {key_file: '" + certs.clientKey() + "'}}")).containsExactly(
        "targets.api.tls: cert_file and key_file go together (a client certificate and its key)");
  }

  @Test
  void filesMustHoldPemCertificatesAndAnUnencryptedKey() {
    assertThat(problems("{base_url: 'https://x', tls: " + tls(notPem, certs.clientKey(), certs.clientCert()) + "}"))
        .containsExactlyInAnyOrder(
            "targets.api.tls.ca_file: must hold PEM certificates (-----BEGIN CERTIFICATE-----) (got \"" + notPem + "\")",
            "targets.api.tls.cert_file: must hold PEM certificates (-----BEGIN CERTIFICATE-----) (got \""
                + certs.clientKey() + "\")",
            "targets.api.tls.key_file: must hold an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----, RSA or"
                + " EC) (got \"" + certs.clientCert() + "\")");
  }

  @Test
  void aKeyTheTlsLibraryCannotUseIsRefusedAtLoadRatherThanFailingEveryHandshake() throws IOException {
    // Each of these passed the check by its BEGIN line, then failed every connection as "Could not connect".
    TestCertificates.Issued rsa = certs.rsaClient("rsa-client");
    Path encrypted = certs.rewrittenKey(rsa.key(), "enc.key", "rsa", "-traditional", "-aes128", "-passout",
        "pass:x");
    assertThat(Files.readString(encrypted)).startsWith("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED");
    Path garbled = Files.writeString(encrypted.resolveSibling("bad.key"),
        "-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----\n");
    Path ed25519 = Files.writeString(encrypted.resolveSibling("ed.key"), "-----BEGIN PRIVATE KEY-----\n"
        + java.util.Base64.getMimeEncoder().encodeToString(ed25519Key()) + "\n-----END PRIVATE KEY-----\n");
    Path pkcs8Encrypted = certs.rewrittenKey(rsa.key(), "enc8.key", "pkcs8", "-topk8", "-v2", "aes-128-cbc",
        "-passout", "pass:x");
    assertThat(Files.readString(pkcs8Encrypted)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
    for (Path key : List.of(encrypted, garbled, ed25519, pkcs8Encrypted)) {
      assertThat(problems("{base_url: 'https://x', tls: " + tls(certs.caCert(), rsa.cert(), key) + "}")).as(key.toString())
          .containsExactly("targets.api.tls.key_file: must hold an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----,"
              + " RSA or EC) (got \"" + key + "\")");
    }
  }

  private static byte[] ed25519Key() {
    try {
      return java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aKeyThatIsNotTheClientCertificatesIsRefusedAtLoad() {
    TestCertificates.Issued rsa = certs.rsaClient("rsa-client");
    assertThat(problems("{base_url: 'https://x', tls: " + tls(certs.caCert(), rsa.cert(), certs.clientKey()) + "}"))
        .containsExactly("targets.api.tls.key_file: must be the key of cert_file's certificate (got \""
            + certs.clientKey() + "\")");
  }

  @Test
  void acceptsPkcs8Pkcs1AndSec1KeysOfTheirCertificates() throws IOException {
    TestCertificates.Issued rsa = certs.rsaClient("rsa-client");
    Path sec1 = certs.rewrittenKey(certs.clientKey(), "client-sec1.key", "ec");
    Path rsaPkcs8 = certs.rewrittenKey(rsa.key(), "rsa-pkcs8.key", "pkey");
    assertThat(Files.readString(sec1)).startsWith("-----BEGIN EC PRIVATE KEY-----");
    assertThat(Files.readString(rsaPkcs8)).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(load("{base_url: 'https://x', tls: " + tls(certs.caCert(), rsa.cert(), rsa.key()) + "}")
        .targets().get("api").tls().orElseThrow().keyPem()).contains(Files.readString(rsa.key()));
    assertThat(load("{base_url: 'https://x', tls: " + tls(certs.caCert(), rsa.cert(), rsaPkcs8) + "}")
        .targets().get("api").tls()).isPresent();
    assertThat(load("{base_url: 'https://x', tls: " + tls(certs.caCert(), certs.clientCert(), sec1) + "}")
        .targets().get("api").tls().orElseThrow().keyPem()).contains(Files.readString(sec1));
  }

  @Test
  void aTlsBlockNeedsAnHttpsUrlToApplyTo() {
    assertThat(problems("{base_url: 'http://x', tls: " + tls(certs.caCert(), null, null) + "}")).containsExactly(
        "targets.api.tls: applies only to https:// URLs, and the target's base_url and deployments are all http://");
    assertThat(problems("{tls: " + tls(certs.caCert(), null, null) + ", deployments: ["
        + "{name: a, base_url: 'http://a'}, {name: b, base_url: 'http://b'}]}")).containsExactly(
        "targets.api.tls: applies only to https:// URLs, and the target's base_url and deployments are all http://");
  }

  @Test
  void aRewrittenFileMakesADifferentTargetSoAReloadBuildsItsClientAgain() throws IOException {
    Path ca = Files.copy(certs.caCert(), certs.caCert().resolveSibling("rotating.crt"));
    String target = "{base_url: 'https://x', tls: " + tls(ca, null, null) + "}";
    GatewayConfig before = load(target);
    assertThat(load(target).targets()).isEqualTo(before.targets());
    Files.copy(certs.serverCert(), ca, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    GatewayConfig after = load(target);
    assertThat(after.targets().get("api")).isNotEqualTo(before.targets().get("api"));
    assertThat(RestartOnly.changes(before, after)).as("reloadable").isEmpty();
  }
}
