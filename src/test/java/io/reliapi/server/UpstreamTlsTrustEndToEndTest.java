package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LogCapture;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.TestCertificates;
import io.reliapi.testing.TestHttp.Res;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which upstream certificates the gateway trusts, and the one it shows, on real sockets: an untrusted certificate and
 * one for another host, each a retried, breaker-counted {@code NETWORK_ERROR} that names nothing of the upstream; a
 * client certificate an upstream demands; and a pool that handshake failures leave whole.
 */
class UpstreamTlsTrustEndToEndTest {
  private static TestCertificates certs;
  private static MockUpstream secure;
  private static MockUpstream wrongHost;
  private static MockUpstream mutual;
  private static MockUpstream swapping;
  private static GatewayHarness gw;

  @BeforeAll
  static void start() throws IOException {
    Path dir = Files.createTempDirectory("reliapi-upstream-tls-trust");
    certs = TestCertificates.create(dir.resolve("ca"));
    TestCertificates strangers = TestCertificates.create(dir.resolve("other-ca"));
    TestCertificates.Issued elsewhere = certs.serverFor("elsewhere", "api.example.com");
    secure = MockUpstream.startTls(certs.serverCert(), certs.serverKey(), null);
    wrongHost = MockUpstream.startTls(elsewhere.cert(), elsewhere.key(), null);
    mutual = MockUpstream.startTls(certs.serverCert(), certs.serverKey(), certs.caCert());
    swapping = MockUpstream.startTls(elsewhere.cert(), elsewhere.key(), null);
    gw = GatewayHarness.yaml("""
        targets:
          jvm_cas:
            base_url: "%1$s"
            retry_matrix: {net: {attempts: 3, backoff: constant, base_s: 0.01}}
            circuit: {error_threshold: 3, cooldown_s: 600}
          stranger_ca:
            base_url: "%1$s"
            tls: {ca_file: "%3$s"}
            retry_matrix: {net: {attempts: 1}}
          wrong_host:
            base_url: "%4$s"
            tls: {ca_file: "%2$s"}
            retry_matrix: {net: {attempts: 3, backoff: constant, base_s: 0.01}}
            circuit: {error_threshold: 3, cooldown_s: 600}
          mutual:
            base_url: "%5$s"
            tls: {ca_file: "%2$s", cert_file: "%6$s", key_file: "%7$s"}
          mutual_without_cert:
            base_url: "%5$s"
            tls: {ca_file: "%2$s"}
            retry_matrix: {net: {attempts: 2, backoff: constant, base_s: 0.01}}
          swapping:
            base_url: "%8$s"
            tls: {ca_file: "%2$s"}
            max_connections: 2
            retry_matrix: {net: {attempts: 1}}
            circuit: {enabled: false}
        """.formatted(secure.url("localhost"), certs.caCert(), strangers.caCert(), wrongHost.url("localhost"),
        mutual.url("localhost"), certs.clientCert(), certs.clientKey(), swapping.url("localhost"))).start();
  }

  @AfterAll
  static void stop() {
    gw.close();
    for (MockUpstream up : List.of(secure, wrongHost, mutual, swapping)) {
      up.close();
    }
  }

  @Test
  void anUntrustedCertificateIsARetriedNetworkErrorThatOpensTheBreakerAndNamesNothing() {
    try (LogCapture logs = LogCapture.capture()) {
      Res failedRes = gw.http.post("/proxy/http", "{\"target\": \"jvm_cas\", \"method\": \"GET\", \"path\": \"/x\"}");
      JsonNode failed = failedRes.json();
      assertThat(failed.get("error").get("code").asText()).isEqualTo("NETWORK_ERROR");
      assertThat(failed.get("error").get("status_code").asInt()).isEqualTo(502);
      assertThat(failed.get("meta").get("retries").asInt()).as("retried per the net class").isEqualTo(2);
      assertThat(failed.get("error").get("message").asText()).isEqualTo("The TLS handshake with the upstream failed.");
      assertNamesNothing(failed.toString(), secure);

      Res open = gw.http.get("/t/jvm_cas/x");
      assertThat(open.status()).as("the three failed handshakes opened the breaker").isEqualTo(503);
      assertThat(open.json().get("code").asText()).isEqualTo("CIRCUIT_OPEN");
      // The capture sees every gateway's lines: wait for this test's own two requests before asserting on them.
      List<String> ids = List.of(failedRes.header("X-Request-ID"), open.header("X-Request-ID"));
      await().atMost(Duration.ofSeconds(5)).until(() -> ids.stream().allMatch(id ->
          logs.accessLines().stream().anyMatch(line -> line.contains("\"request_id\":\"" + id + "\""))));
      assertNamesNothing(logs.all(), secure);
    }
    assertThat(secure.requests()).noneMatch(r -> r.path().equals("/x"));
  }

  @Test
  void aCertificateFromAnotherCaThanTheOneTrustedIsANetworkError() {
    Res failed = gw.http.get("/t/stranger_ca/x");
    assertThat(failed.status()).isEqualTo(502);
    assertThat(failed.json().get("code").asText()).isEqualTo("NETWORK_ERROR");
    assertNamesNothing(failed.body(), secure);
  }

  @Test
  void aCertificateForAnotherHostIsARetriedNetworkErrorThatOpensTheBreaker() {
    Res failed = gw.http.get("/t/wrong_host/x");
    assertThat(failed.status()).isEqualTo(502);
    assertThat(failed.json().get("code").asText()).isEqualTo("NETWORK_ERROR");
    assertThat(failed.header("X-Retries")).isEqualTo("2");
    assertNamesNothing(failed.body(), wrongHost);
    assertThat(failed.body()).doesNotContain("api.example.com");
    assertThat(gw.http.get("/t/wrong_host/x").json().get("code").asText()).isEqualTo("CIRCUIT_OPEN");
    assertThat(wrongHost.total()).as("no request went over a connection to the wrong host").isZero();
  }

  @Test
  void aClientCertificateTheUpstreamDemandsIsShownFromCertFileAndKeyFile() {
    mutual.script("GET /who", Behavior.json(200, "{\"mutual\":true}"));
    Res shown = gw.http.get("/t/mutual/who");
    assertThat(shown.status()).isEqualTo(200);
    assertThat(shown.body()).isEqualTo("{\"mutual\":true}");

    Res refused = gw.http.post("/t/mutual_without_cert/who", "{}");
    assertThat(refused.status()).isEqualTo(502);
    assertThat(refused.json().get("code").asText()).isEqualTo("NETWORK_ERROR");
    // On TLS 1.3 the client's handshake is done before the server reads its (missing) certificate: the refusal comes
    // after the request was written, so an unkeyed POST is not sent again.
    assertThat(refused.json().get("detail").asText()).isEqualTo("The upstream connection failed during the request.");
    assertThat(refused.header("X-Retries")).isEqualTo("0");
    assertNamesNothing(refused.body(), mutual);
    assertThat(mutual.count("/who")).as("only the call with a certificate reached the upstream").isEqualTo(1);
  }

  @Test
  void failedHandshakesLeaveNoConnectionOrPlaceHeld() {
    // Ten times the target's pool: a connection or a place kept by a failed handshake would make later calls OVERLOADED.
    for (int i = 0; i < 20; i++) {
      Res failed = gw.http.get("/t/swapping/x");
      assertThat(failed.json().get("code").asText()).as("call " + i).isEqualTo("NETWORK_ERROR");
    }
    // And as many at once, so that failures meet attempts waiting for a place.
    List<CompletableFuture<Res>> together = IntStream.range(0, 20).mapToObj(i -> gw.http.getAsync("/t/swapping/x")).toList();
    assertThat(together).allSatisfy(call ->
        assertThat(call.join().json().get("code").asText()).isIn("NETWORK_ERROR", "OVERLOADED"));
    swapping.showCertificate(certs.serverCert(), certs.serverKey());
    swapping.script("GET /x", Behavior.json(200, "{\"ok\":true}"));
    long start = System.nanoTime();
    Res good = gw.http.get("/t/swapping/x");
    assertThat(good.status()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no wait for a pool place")
        .isLessThan(Duration.ofSeconds(2));
  }

  /** Neither the upstream's host nor its port nor a certificate detail or exception name appears in {@code text}. */
  private static void assertNamesNothing(String text, MockUpstream up) {
    assertThat(text).doesNotContain("localhost", "127.0.0.1", ":" + up.port(), "PKIX", "certificate", "Exception",
        "reliapi-test");
  }
}
