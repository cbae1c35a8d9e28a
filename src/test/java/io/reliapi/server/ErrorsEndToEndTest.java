package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.FreePort;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.TestHttp;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.Charset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input and upstream failures get the spec's error codes, and nothing internal leaks (SPEC §4, §7). */
class ErrorsEndToEndTest {
  static int closedPort;

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> {
    closedPort = FreePort.refused();
    String once = "retry_matrix: {\"5xx\": {attempts: 1}, net: {attempts: 1}, timeout: {attempts: 1}}";
    return GatewayHarness.yaml("""
        server: {port: 0, max_body_bytes: 1000, max_response_bytes: 2000}
        targets:
          api: {base_url: "%s", timeout_ms: 300, %s}
          down: {base_url: "http://127.0.0.1:%d", %s}
        """.formatted(up.baseUrl(), once, closedPort, once));
  });

  static JsonNode error(TestHttp.Res res) {
    assertNoInternals(res.body());
    return res.json().get("error");
  }

  /** No stack trace, exception name or upstream address ever reaches a client. */
  static void assertNoInternals(String body) {
    assertThat(body).doesNotContain("Exception", "\tat ", "java.", "io.vertx", "io.netty", "127.0.0.1", "localhost");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "not json", "[1,2]", "{\"target\":\"api\",\"method\":\"GET\"}", "{\"target\":\"api\",\"path\":\"/a\"}",
      "{\"target\":\"api\",\"method\":\"FETCH\",\"path\":\"/a\"}", "{\"target\":5,\"method\":\"GET\",\"path\":\"/a\"}",
      "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/a\",\"extra\":1}",
      "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/a\",\"body\":\"x\",\"body_base64\":\"eA==\"}",
      "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/a\",\"body\":12}",
      "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/a\",\"body_base64\":\"***\"}",
      "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/a\",\"headers\":{\"X-A\":\"v\\r\\nX-Injected: 1\"}}",
      "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/a\",\"headers\":{\"Bad Name\":\"v\"}}",
      "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/a\",\"headers\":[\"x\"]}",
      "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/a\",\"cache\":-1}",
      "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/a\",\"timeout_ms\":\"soon\"}",
      "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/a\",\"query\":{\"x\":{\"y\":1}}}",
      "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"http://evil.example/x\"}",
      "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"//evil.example/x\"}",
      "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/a/%2e%2e/%2e%2e/etc\"}",
      "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/a%0d%0aX-Injected:%201\"}"})
  void rejectsBadEnvelopesWith400AndNeverCallsTheUpstream(String envelope) {
    var res = e2e.gw().http.post("/proxy/http", envelope);
    assertThat(res.status()).isEqualTo(400);
    JsonNode error = error(res);
    assertThat(error.get("code").asText()).isEqualTo("INVALID_REQUEST");
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.get("status_code").asInt()).isEqualTo(400);
    assertThat(res.json().has("data")).isFalse();
    assertThat(res.json().get("meta").has("request_id")).isTrue();
    assertThat(e2e.up().total()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"UTF-16BE", "UTF-16LE", "UTF-16", "UTF-32BE", "UTF-32LE", "malformed UTF-8"})
  void refusesAnEnvelopeThatIsNotUtf8With400(String encoding) {
    // Found in review: a UTF-16 or UTF-32 envelope parsed (the parser guesses the encoding) but its body's bytes
    // could not be found in it, and the gateway failed with a 500.
    String envelope = "{\"target\":\"api\",\"method\":\"POST\",\"path\":\"/a\",\"body\":{\"to\":\"A\"}}";
    byte[] bytes = envelope.getBytes(Charset.forName(encoding.startsWith("UTF") ? encoding : "UTF-8"));
    if (!encoding.startsWith("UTF")) {
      bytes[envelope.indexOf('A')] = (byte) 0xE9; // a Latin-1 "é": not UTF-8
    }
    var res = e2e.gw().http.post("/proxy/http", bytes, "Content-Type", "application/json");
    assertThat(res.status()).as(encoding).isEqualTo(400);
    JsonNode error = error(res);
    assertThat(error.get("code").asText()).isEqualTo("INVALID_REQUEST");
    assertThat(error.get("message").asText()).contains("UTF-8");
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void answersUnknownTargetsWith404() {
    var res = e2e.gw().http.post("/proxy/http", "{\"target\":\"nope\",\"method\":\"GET\",\"path\":\"/a\"}");
    assertThat(res.status()).isEqualTo(404);
    assertThat(error(res).get("code").asText()).isEqualTo("TARGET_NOT_FOUND");
    assertThat(e2e.gw().http.get("/t/nope/a").status()).isEqualTo(404);
  }

  @Test
  void refusesOversizedBodiesWith413BeforeForwarding() {
    String big = "{\"target\":\"api\",\"method\":\"POST\",\"path\":\"/a\",\"body\":\"" + "x".repeat(2000) + "\"}";
    var declared = e2e.gw().http.post("/proxy/http", big);
    assertThat(declared.status()).isEqualTo(413);
    assertThat(error(declared).get("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
    var chunked = e2e.gw().http.send(e2e.gw().http.builder("/proxy/http")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes()))).build());
    assertThat(chunked.status()).isEqualTo(413);
    var passThrough = e2e.gw().http.post("/t/api/upload", "y".repeat(5000));
    assertThat(passThrough.status()).isEqualTo(413);
    assertThat(passThrough.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void reportsConnectionRefusedAs502NetworkError() {
    var res = e2e.gw().http.post("/proxy/http", "{\"target\":\"down\",\"method\":\"GET\",\"path\":\"/a\"}");
    assertThat(res.status()).isEqualTo(502);
    JsonNode error = error(res);
    assertThat(error.get("code").asText()).isEqualTo("NETWORK_ERROR");
    assertThat(error.get("retryable").asBoolean()).isTrue();
    assertThat(res.body()).doesNotContain(Integer.toString(closedPort));
  }

  @Test
  void reportsASilentUpstreamAs504WithinItsTimeout() {
    e2e.up().script("GET /slow", Behavior.silence());
    long start = System.nanoTime();
    var res = e2e.gw().http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/slow\"}");
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(res.status()).isEqualTo(504);
    assertThat(error(res).get("code").asText()).isEqualTo("UPSTREAM_TIMEOUT");
    assertThat(tookMs).isLessThan(5_000);
  }

  @Test
  void honoursAShorterTimeoutFromTheEnvelope() {
    e2e.up().script("GET /slowish", Behavior.delayed(2_000, Behavior.status(200)));
    var res = e2e.gw().http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/slowish\",\"timeout_ms\":50}");
    assertThat(res.status()).isEqualTo(504);
  }

  @Test
  void reportsAnOversizedUpstreamAnswerAs502OnTheEnvelopeButStreamsItOnPassThrough() {
    e2e.up().otherwise("GET /huge", Behavior.respond(200, Map.of("Content-Type", "text/plain"), "z".repeat(5000)));
    var res = e2e.gw().http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/huge\"}");
    assertThat(res.status()).isEqualTo(502);
    assertThat(error(res).get("code").asText()).isEqualTo("UPSTREAM_RESPONSE_TOO_LARGE");
    var streamed = e2e.gw().http.get("/t/api/huge");
    assertThat(streamed.status()).isEqualTo(200);
    assertThat(streamed.body()).hasSize(5000);
  }

  @Test
  void answersUnknownRoutesAndWrongMethodsInTheErrorShape() {
    var missing = e2e.gw().http.get("/nowhere");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(error(missing).get("code").asText()).isEqualTo("ROUTE_NOT_FOUND");
    var wrong = e2e.gw().http.get("/proxy/http");
    assertThat(wrong.status()).isEqualTo(405);
    assertThat(wrong.header("Allow")).isEqualTo("POST");
  }
}
