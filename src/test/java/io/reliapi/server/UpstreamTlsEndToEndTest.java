package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.SseEvents;
import io.reliapi.testing.SseEvents.Event;
import io.reliapi.testing.TestCertificates;
import io.reliapi.testing.TestHttp.Res;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTPS upstreams on real sockets: a target trusting a private CA through {@code tls.ca_file}, on the raw, envelope
 * and LLM routes (streaming too) and on every deployment; SNI; keep-alive and a reset over TLS. The certificates the
 * gateway refuses or shows are {@link UpstreamTlsTrustEndToEndTest}'s.
 */
class UpstreamTlsEndToEndTest {
  private static MockUpstream secure;
  private static MockUpstream byAddress;
  private static GatewayHarness gw;

  @BeforeAll
  static void start() throws IOException {
    TestCertificates certs = TestCertificates.create(Files.createTempDirectory("reliapi-upstream-tls").resolve("ca"));
    secure = MockUpstream.startTls(certs.serverCert(), certs.serverKey(), null);
    byAddress = MockUpstream.startTls(certs.serverCert(), certs.serverKey(), null);
    gw = GatewayHarness.yaml("""
        targets:
          secure:
            base_url: "%1$s/base"
            tls: {ca_file: "%2$s"}
            retry_matrix: {net: {attempts: 2, backoff: constant, base_s: 0.01}}
          by_address:
            base_url: "%3$s"
            tls: {ca_file: "%2$s"}
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
        """.formatted(secure.url("localhost"), certs.caCert(), byAddress.baseUrl())).start();
  }

  @AfterAll
  static void stop() {
    gw.close();
    for (MockUpstream up : List.of(secure, byAddress)) {
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
    assertThat(envelope.get("data").get("body").get("body").asText())
        .as("the body goes upstream as the client wrote it").isEqualTo("{\"amount\": 5}");
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
}
