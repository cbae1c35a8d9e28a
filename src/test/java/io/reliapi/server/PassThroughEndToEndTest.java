package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.RawHttp;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code ANY /t/{target}/{path}}: a transparent pass-through that streams and stays inside its target (SPEC §2.5). */
class PassThroughEndToEndTest {

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      server: {port: 0, max_body_bytes: 67108864}
      targets:
        api: {base_url: "%s/v1", retry_matrix: {"5xx": {attempts: 1}, net: {attempts: 1}}}
        authed:
          base_url: "%s"
          auth: {type: bearer_env, env_var: TARGET_TOKEN}
        quick:
          base_url: "%s"
          timeout_ms: 400
          retry_matrix: {"5xx": {attempts: 1}, net: {attempts: 1}, timeout: {attempts: 1}}
      """.formatted(up.baseUrl(), up.baseUrl(), up.baseUrl())).env("TARGET_TOKEN", "target-token"));

  @Test
  void forwardsMethodPathQueryHeadersAndBodyAndReturnsTheAnswerUnchanged() {
    e2e.up().script("PATCH /v1/items/7", Behavior.respond(201, Map.of("Content-Type", "text/csv", "X-Upstream", "yes",
        "Set-Cookie", "a=b"), "id,ok\n7,1\n"));
    var res = e2e.gw().http.method("PATCH", "/t/api/items/7?x=1&y=%2F", "{\"a\":1}",
        "Content-Type", "application/json", "X-Custom", "v", "Cookie", "c=d");
    assertThat(res.status()).isEqualTo(201);
    assertThat(res.body()).isEqualTo("id,ok\n7,1\n");
    assertThat(res.header("Content-Type")).isEqualTo("text/csv");
    assertThat(res.header("X-Upstream")).isEqualTo("yes");
    assertThat(res.header("Set-Cookie")).isEqualTo("a=b");
    assertThat(res.header("X-ReliAPI-Target")).isEqualTo("api");
    assertThat(res.header("X-Request-ID")).matches("req_[0-9a-f]{16}");
    var seen = e2e.up().last();
    assertThat(seen.method()).isEqualTo("PATCH");
    assertThat(seen.uri()).isEqualTo("/v1/items/7?x=1&y=%2F");
    assertThat(seen.header("X-Custom")).isEqualTo("v");
    assertThat(seen.header("Cookie")).isEqualTo("c=d");
    assertThat(seen.bodyText()).isEqualTo("{\"a\":1}");
    assertThat(seen.header("X-Request-ID")).isEqualTo(res.header("X-Request-ID"));
  }

  @Test
  void mapsTheBareTargetToItsBasePath() {
    e2e.gw().http.get("/t/api");
    assertThat(e2e.up().last().uri()).isEqualTo("/v1");
    e2e.gw().http.get("/t/api/");
    assertThat(e2e.up().last().uri()).isEqualTo("/v1/");
    e2e.gw().http.get("/t/api?q=1");
    assertThat(e2e.up().last().uri()).isEqualTo("/v1?q=1");
  }

  @Test
  void passesUpstreamErrorsThroughUnchanged() {
    e2e.up().script("GET /v1/missing", Behavior.json(404, "{\"error\":\"nope\"}"));
    var res = e2e.gw().http.get("/t/api/missing");
    assertThat(res.status()).isEqualTo(404);
    assertThat(res.body()).isEqualTo("{\"error\":\"nope\"}");
    assertThat(res.header("Content-Type")).isEqualTo("application/json");
  }

  @Test
  void stripsHopByHopAndGatewayHeadersAndInjectsTheTargetCredential() {
    String raw = RawHttp.exchange(e2e.gw().port(), "GET /t/authed/x HTTP/1.1\r\nHost: internal.admin\r\n"
        + "Connection: keep-alive, X-Hop\r\nX-Hop: 1\r\nKeep-Alive: 5\r\nTE: trailers\r\n"
        + "Proxy-Authorization: Basic eA==\r\nX-API-Key: gw-key\r\nAuthorization: Bearer client-token\r\n"
        + "Idempotency-Key: k1\r\nX-Forwarded-For: 1.2.3.4\r\nX-Kept: yes\r\nContent-Length: 0\r\n\r\n");
    assertThat(RawHttp.status(raw)).isEqualTo(200);
    var seen = e2e.up().last();
    assertThat(seen.header("X-Kept")).isEqualTo("yes");
    for (String name : List.of("X-Hop", "Keep-Alive", "TE", "Proxy-Authorization", "X-API-Key", "Idempotency-Key",
        "X-Forwarded-For")) {
      assertThat(seen.header(name)).as(name).isNull();
    }
    assertThat(seen.header("Authorization")).isEqualTo("Bearer target-token");
    assertThat(seen.header("Host")).isEqualTo("127.0.0.1:" + e2e.up().port());
  }

  @Test
  void dropsHopByHopHeadersOfTheUpstreamAnswer() {
    e2e.up().script("GET /v1/hop", Behavior.respond(200, Map.of("Connection", "X-Secret-Hop", "X-Secret-Hop", "1",
        "Keep-Alive", "timeout=5", "X-End", "e"), "ok"));
    var res = e2e.gw().http.get("/t/api/hop");
    assertThat(res.header("X-Secret-Hop")).isNull();
    assertThat(res.header("Keep-Alive")).isNull();
    assertThat(res.header("X-End")).isEqualTo("e");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/t/api/../admin", "/t/api/%2e%2e/admin", "/t/api/%252e%252e/admin", "/t/api/..%2fadmin",
      "/t/api/..%5cadmin", "/t/api/a%00b", "/t/api/a%0d%0aX-Injected:%201", "/t/api//evil.example/x",
      "/t/api/http%3A%2F%2Fevil", "/t/api/x?q=%0d%0aX-Injected:1"})
  void rejectsHostilePathsAfterDecodingAndNeverForwardsThem(String path) {
    String raw = RawHttp.exchange(e2e.gw().port(), "GET " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
    assertThat(RawHttp.status(raw)).isEqualTo(400);
    assertThat(raw).contains("application/problem+json").contains("\"code\":\"INVALID_REQUEST\"");
    assertThat(e2e.up().total()).isZero();
  }

  @Test
  void writesGatewayErrorsAsProblemJson() {
    var res = e2e.gw().http.get("/t/api/%2e%2e/x", "X-Request-ID", "rid-9");
    assertThat(res.status()).isEqualTo(400);
    assertThat(res.header("Content-Type")).isEqualTo("application/problem+json");
    JsonNode p = res.json();
    assertThat(p.get("type").asText()).isEqualTo("urn:reliapi:error:INVALID_REQUEST");
    assertThat(p.get("title").asText()).isEqualTo("Invalid request");
    assertThat(p.get("status").asInt()).isEqualTo(400);
    assertThat(p.get("detail").asText()).startsWith("Unsafe path");
    assertThat(p.get("code").asText()).isEqualTo("INVALID_REQUEST");
    assertThat(p.get("request_id").asText()).isEqualTo("rid-9");
    assertThat(p.get("target").asText()).isEqualTo("api");
    assertThat(p.get("retryable").asBoolean()).isFalse();
  }

  @Test
  void streamsLargeBodiesInBothDirections() throws Exception {
    e2e.up().script("POST /v1/upload", call -> call.request().response().end("received " + call.recorded().body().length()));
    byte[] upload = new byte[8 * 1024 * 1024];
    java.util.Arrays.fill(upload, (byte) 'u');
    var res = e2e.gw().http.send(e2e.gw().http.builder("/t/api/upload").POST(HttpRequest.BodyPublishers.ofByteArray(upload)).build());
    assertThat(res.body()).isEqualTo("received " + upload.length);
    int size = 16 * 1024 * 1024;
    e2e.up().script("GET /v1/download", Behavior.respond(200, Map.of("Content-Type", "application/octet-stream"),
        io.vertx.core.buffer.Buffer.buffer(new byte[size])));
    var download = java.net.http.HttpClient.newHttpClient().send(
        e2e.gw().http.builder("/t/api/download").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body()).hasSize(size);
  }

  @Test
  void reportsASmallAnswerThatBreaksOffAsANetworkErrorBeforeAnythingReachesTheClient() {
    e2e.up().script("GET /v1/short", Behavior.truncated("partial", 1000));
    var res = e2e.gw().http.get("/t/api/short");
    assertThat(res.status()).isEqualTo(502);
    assertThat(res.json().get("code").asText()).isEqualTo("NETWORK_ERROR");
  }

  @Test
  void breaksTheClientConnectionWhenTheUpstreamBreaksMidBody() {
    e2e.up().script("GET /v1/broken", Behavior.truncated("partial", 1_000_000));
    var client = java.net.http.HttpClient.newHttpClient();
    var request = e2e.gw().http.builder("/t/api/broken").GET().build();
    try {
      var res = client.send(request, HttpResponse.BodyHandlers.ofString());
      throw new AssertionError("a truncated answer must not look complete, got " + res.body().length() + " bytes");
    } catch (IOException expected) {
      assertThat(expected).isNotNull();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void cutsOffAnUpstreamThatGoesSilentMidBody() {
    e2e.up().script("GET /stall", call -> {
      var response = call.request().response().setChunked(true);
      response.write("first part");  // then nothing, with the connection left open
    });
    long start = System.nanoTime();
    try {
      var res = java.net.http.HttpClient.newHttpClient().send(e2e.gw().http.builder("/t/quick/stall").GET().build(),
          HttpResponse.BodyHandlers.ofString());
      throw new AssertionError("a stalled answer must not look complete, got: " + res.body());
    } catch (IOException expected) {
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(tookMs).as("cut off after the target's timeout, not the server's idle timeout").isLessThan(10_000);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void doesNotMistakeASlowClientForAStalledUpstream() throws Exception {
    int size = 8 * 1024 * 1024;
    e2e.up().script("GET /big", Behavior.respond(200, Map.of("Content-Type", "application/octet-stream"),
        io.vertx.core.buffer.Buffer.buffer(new byte[size])));
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.setReceiveBufferSize(16 * 1024);
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", e2e.gw().port()));
      socket.getOutputStream().write("GET /t/quick/big HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      var in = socket.getInputStream();
      Thread.sleep(1_500);  // the client takes nothing for several upstream timeouts
      long total = 0;
      byte[] buffer = new byte[65536];
      for (int n; (n = in.read(buffer)) > 0; ) {
        total += n;
      }
      assertThat(total).isGreaterThan(size);
    }
  }
}
