package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.LogCapture;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.SseEvents;
import io.reliapi.testing.SseEvents.Event;
import io.reliapi.testing.TestCertificates;
import io.reliapi.testing.TestHttp.Res;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTPS upstreams on real sockets: a target trusting a private CA through {@code tls.ca_file}, on the raw, envelope
 * and LLM routes (streaming too); SNI; an untrusted certificate and one for another host, each a retried, breaker-counted
 * {@code NETWORK_ERROR} that names nothing of the upstream; a client certificate an upstream demands; keep-alive and a
 * reset over TLS; and a pool that handshake failures leave whole.
 */
class UpstreamTlsEndToEndTest {
  private static TestCertificates certs;
  private static TestCertificates strangers;
  private static MockUpstream secure;
  private static MockUpstream byAddress;
  private static MockUpstream wrongHost;
  private static MockUpstream mutual;
  private static MockUpstream swapping;
  private static GatewayHarness gw;

  @BeforeAll
  static void start() throws IOException {
    Path dir = Files.createTempDirectory("reliapi-upstream-tls");
    certs = TestCertificates.create(dir.resolve("ca"));
    strangers = TestCertificates.create(dir.resolve("other-ca"));
    TestCertificates.Issued elsewhere = certs.serverFor("elsewhere", "api.example.com");
    secure = MockUpstream.startTls(certs.serverCert(), certs.serverKey(), null);
    byAddress = MockUpstream.startTls(certs.serverCert(), certs.serverKey(), null);
    wrongHost = MockUpstream.startTls(elsewhere.cert(), elsewhere.key(), null);
    mutual = MockUpstream.startTls(certs.serverCert(), certs.serverKey(), certs.caCert());
    swapping = MockUpstream.startTls(elsewhere.cert(), elsewhere.key(), null);
    String ca = certs.caCert().toString();
    gw = GatewayHarness.yaml("""
        targets:
          secure:
            base_url: "%1$s/base"
            tls: {ca_file: "%2$s"}
            retry_matrix: {net: {attempts: 2, backoff: constant, base_s: 0.01}}
          by_address:
            base_url: "%3$s"
            tls: {ca_file: "%2$s"}
          jvm_cas:
            base_url: "%1$s"
            retry_matrix: {net: {attempts: 3, backoff: constant, base_s: 0.01}}
            circuit: {error_threshold: 3, cooldown_s: 600}
          stranger_ca:
            base_url: "%1$s"
            tls: {ca_file: "%4$s"}
            retry_matrix: {net: {attempts: 1}}
          wrong_host:
            base_url: "%5$s"
            tls: {ca_file: "%2$s"}
            retry_matrix: {net: {attempts: 3, backoff: constant, base_s: 0.01}}
            circuit: {error_threshold: 3, cooldown_s: 600}
          mutual:
            base_url: "%6$s"
            tls: {ca_file: "%2$s", cert_file: "%7$s", key_file: "%8$s"}
          mutual_without_cert:
            base_url: "%6$s"
            tls: {ca_file: "%2$s"}
            retry_matrix: {net: {attempts: 2, backoff: constant, base_s: 0.01}}
          llm:
            base_url: "%1$s/v1"
            tls: {ca_file: "%2$s"}
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100}
          spread:
            tls: {ca_file: "%2$s"}
            deployments:
              - {name: secure, base_url: "%1$s/base"}
              - {name: by_address, base_url: "%3$s"}
            retry_matrix: {net: {attempts: 1}}
          swapping:
            base_url: "%9$s"
            tls: {ca_file: "%2$s"}
            max_connections: 2
            retry_matrix: {net: {attempts: 1}}
            circuit: {enabled: false}
        """.formatted(secure.url("localhost"), ca, byAddress.baseUrl(), strangers.caCert(), wrongHost.url("localhost"),
        mutual.url("localhost"), certs.clientCert(), certs.clientKey(), swapping.url("localhost"))).start();
  }

  @AfterAll
  static void stop() {
    gw.close();
    for (MockUpstream up : List.of(secure, byAddress, wrongHost, mutual, swapping)) {
      up.close();
    }
  }

  @Test
  void rawAndEnvelopeCallsReachAnHttpsUpstreamTrustedThroughCaFile() {
    secure.script("GET /base/hello", Behavior.json(200, "{\"hello\":\"tls\"}"));
    Res raw = gw.http.get("/t/secure/hello?x=1");
    assertThat(raw.status()).isEqualTo(200);
    assertThat(raw.body()).isEqualTo("{\"hello\":\"tls\"}");

    JsonNode envelope = gw.http.post("/proxy/http",
        "{\"target\": \"secure\", \"method\": \"POST\", \"path\": \"/pay\", \"body\": {\"amount\": 5}}").json();
    assertThat(envelope.get("success").asBoolean()).isTrue();
    assertThat(envelope.get("data").get("body").get("body").asText()).isEqualTo("{\"amount\":5}");
    assertThat(secure.last().uri()).isEqualTo("/base/pay");
  }

  @Test
  void sendsTheUrlsHostNameAsSniAndNoServerNameForAnAddress() {
    secure.script("GET /base/sni", Behavior.status(204));
    assertThat(gw.http.get("/t/secure/sni").status()).isEqualTo(204);
    assertThat(secure.serverNames()).isNotEmpty().allMatch("localhost"::equals);

    byAddress.script("GET /sni", Behavior.status(204));
    assertThat(gw.http.get("/t/by_address/sni").status())
        .as("a certificate naming IP 127.0.0.1 passes hostname verification").isEqualTo(204);
    // RFC 6066: an IP address is never a server name; the handshake goes without one.
    assertThat(byAddress.serverNames()).isNotEmpty().allMatch(String::isEmpty);
  }

  @Test
  void llmChatCallsWholeAndStreamedGoThroughAnHttpsUpstream() {
    secure.script("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Hello over TLS", 5, 3));
    Res whole = gw.http.post("/v1/chat/completions",
        "{\"model\": \"llm/gpt-4o-mini\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
    assertThat(whole.status()).isEqualTo(200);
    assertThat(whole.json().get("choices").get(0).get("message").get("content").asText()).isEqualTo("Hello over TLS");

    secure.script("POST /v1/chat/completions",
        LlmBehaviors.sse(LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel", "lo"), 9, 2), 1));
    Res streamed = gw.http.post("/v1/chat/completions", "{\"model\": \"llm/gpt-4o-mini\", \"stream\": true,"
        + " \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
    assertThat(streamed.status()).isEqualTo(200);
    List<Event> events = SseEvents.parse(streamed.body());
    assertThat(events.get(1).json().get("choices").get(0).get("delta").get("content").asText()).isEqualTo("Hel");
    assertThat(events.get(2).json().get("choices").get(0).get("delta").get("content").asText()).isEqualTo("lo");
    assertThat(events.getLast().data()).isEqualTo("[DONE]");
    assertThat(secure.last().header("Authorization")).isNull();
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
  void sequentialCallsReuseOneTlsConnection() {
    secure.script("GET /base/first", Behavior.status(204));
    assertThat(gw.http.get("/t/secure/first").status()).isEqualTo(204);
    int opened = secure.connectionsOpened();
    secure.script("GET /base/second", Behavior.status(204));
    assertThat(gw.http.get("/t/secure/second").status()).isEqualTo(204);
    assertThat(secure.connectionsOpened()).as("the second call went over the first one's connection").isEqualTo(opened);
  }

  @Test
  void aResetAfterTheRequestOrAnAnswerCutOffOverTlsIsRetriedLikeOverTcp() {
    List<Behavior> broken = List.of(Behavior.reset(), Behavior.truncated("partial", 1000));
    for (int i = 0; i < broken.size(); i++) {
      secure.script("GET /base/flaky" + i, broken.get(i), Behavior.json(200, "{\"ok\":true}"));
      Res retried = gw.http.get("/t/secure/flaky" + i);
      assertThat(retried.status()).isEqualTo(200);
      assertThat(retried.body()).isEqualTo("{\"ok\":true}");
      assertThat(secure.count("/base/flaky" + i)).isEqualTo(2);
    }
  }

  @Test
  void theTlsBlockAppliesToEveryDeploymentOfTheTarget() {
    secure.otherwise("GET /base/spread", Behavior.json(200, "{\"at\":\"secure\"}"));
    byAddress.otherwise("GET /spread", Behavior.json(200, "{\"at\":\"by_address\"}"));
    try {
      Set<String> answered = new HashSet<>();
      for (int i = 0; i < 10; i++) {
        Res res = gw.http.get("/t/spread/spread");
        assertThat(res.status()).isEqualTo(200);
        String deployment = res.header("X-ReliAPI-Deployment");
        assertThat(res.body()).isEqualTo("{\"at\":\"" + deployment + "\"}");
        answered.add(deployment);
      }
      assertThat(answered).containsExactlyInAnyOrder("secure", "by_address");
    } finally {
      secure.otherwise("GET /base/spread", Behavior.status(404));
      byAddress.otherwise("GET /spread", Behavior.status(404));
    }
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
