package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.TestCertificates;
import io.reliapi.testing.TestHttp.Res;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The forms a target's {@code tls} files come in, on real handshakes: client keys as PKCS#1 RSA and SEC1 EC (which the
 * config accepts, so the TLS library must too), a {@code ca_file} holding several CAs, an upstream by IPv6 address, and
 * an expired certificate.
 */
class UpstreamTlsFormsEndToEndTest {
  private static TestCertificates certs;
  private static MockUpstream mutual;
  private static MockUpstream secure;
  private static MockUpstream expired;
  private static MockUpstream ipv6;
  private static GatewayHarness gw;

  @BeforeAll
  static void start() throws IOException {
    Path dir = Files.createTempDirectory("reliapi-upstream-tls-forms");
    certs = TestCertificates.create(dir.resolve("ca"));
    TestCertificates strangers = TestCertificates.create(dir.resolve("other-ca"));
    TestCertificates.Issued rsa = certs.rsaClient("rsa-client");
    Path sec1 = certs.rewrittenKey(certs.clientKey(), "client-sec1.key", "ec");
    assertThat(Files.readString(rsa.key())).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertThat(Files.readString(sec1)).startsWith("-----BEGIN EC PRIVATE KEY-----");
    Path bundle = Files.writeString(dir.resolve("bundle.crt"),
        Files.readString(strangers.caCert()) + Files.readString(certs.caCert()));
    TestCertificates.Issued past = certs.expiredServer("expired");
    TestCertificates.Issued byIpv6 = certs.serverNaming("ipv6", "IP:::1");

    mutual = MockUpstream.startTls(certs.serverCert(), certs.serverKey(), certs.caCert());
    secure = MockUpstream.startTls(certs.serverCert(), certs.serverKey(), null);
    expired = MockUpstream.startTls(past.cert(), past.key(), null);
    ipv6 = MockUpstream.startTls(byIpv6.cert(), byIpv6.key(), null, "::1");
    gw = GatewayHarness.yaml("""
        targets:
          pkcs1:
            base_url: "%1$s"
            tls: {ca_file: "%2$s", cert_file: "%3$s", key_file: "%4$s"}
          sec1:
            base_url: "%1$s"
            tls: {ca_file: "%2$s", cert_file: "%5$s", key_file: "%6$s"}
          bundle:
            base_url: "%7$s"
            tls: {ca_file: "%8$s"}
          lapsed:
            base_url: "%9$s"
            tls: {ca_file: "%2$s"}
            retry_matrix: {net: {attempts: 2, backoff: constant, base_s: 0.01}}
            circuit: {enabled: false}
          ipv6:
            base_url: "https://[::1]:%10$d"
            tls: {ca_file: "%2$s"}
        """.formatted(mutual.url("localhost"), certs.caCert(), rsa.cert(), rsa.key(), certs.clientCert(), sec1,
        secure.url("localhost"), bundle, expired.url("localhost"), ipv6.port())).start();
  }

  @AfterAll
  static void stop() {
    gw.close();
    for (MockUpstream up : List.of(mutual, secure, expired, ipv6)) {
      up.close();
    }
  }

  @Test
  void aClientKeyWrittenAsPkcs1RsaIsShownToAnUpstreamThatDemandsOne() {
    mutual.script("GET /rsa", Behavior.json(200, "{\"key\":\"rsa\"}"));
    Res res = gw.http.get("/t/pkcs1/rsa");
    assertThat(res.status()).isEqualTo(200);
    assertThat(res.body()).isEqualTo("{\"key\":\"rsa\"}");
  }

  @Test
  void aClientKeyWrittenAsSec1EcIsShownToAnUpstreamThatDemandsOne() {
    mutual.script("GET /ec", Behavior.json(200, "{\"key\":\"ec\"}"));
    Res res = gw.http.get("/t/sec1/ec");
    assertThat(res.status()).isEqualTo(200);
    assertThat(res.body()).isEqualTo("{\"key\":\"ec\"}");
  }

  @Test
  void aCaFileHoldingSeveralCasTrustsEachOfThem() {
    secure.script("GET /bundled", Behavior.status(204));
    assertThat(gw.http.get("/t/bundle/bundled").status())
        .as("the upstream's CA is the second of the bundle").isEqualTo(204);
  }

  @Test
  void anExpiredCertificateIsARetriedNetworkError() {
    Res failed = gw.http.get("/t/lapsed/x");
    assertThat(failed.status()).isEqualTo(502);
    assertThat(failed.json().get("code").asText()).isEqualTo("NETWORK_ERROR");
    assertThat(failed.json().get("detail").asText()).isEqualTo("The TLS handshake with the upstream failed.");
    assertThat(failed.header("X-Retries")).isEqualTo("1");
    assertThat(failed.body()).doesNotContain("expired", "certificate", "localhost", ":" + expired.port(), "Exception");
    assertThat(expired.total()).as("no request went over the handshake that failed").isZero();
  }

  @Test
  void anUpstreamByIpv6AddressIsVerifiedByThatAddressAndSentNoServerName() {
    ipv6.script("GET /six", Behavior.json(200, "{\"ip\":6}"));
    Res res = gw.http.get("/t/ipv6/six");
    assertThat(res.status()).as("a certificate naming IP ::1 passes hostname verification").isEqualTo(200);
    assertThat(res.body()).isEqualTo("{\"ip\":6}");
    assertThat(ipv6.serverNames()).isNotEmpty().allMatch(String::isEmpty);
  }
}
