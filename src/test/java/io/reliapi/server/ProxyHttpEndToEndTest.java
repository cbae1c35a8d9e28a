package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.vertx.core.buffer.Buffer;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code POST /proxy/http} against the real gateway and a real upstream socket (SPEC §2.2). */
class ProxyHttpEndToEndTest {

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        api: {base_url: "%s/base", retry_matrix: {"5xx": {attempts: 1}}}
        keyed:
          base_url: "%s"
          auth: {type: header_env, header: X-Upstream-Key, env_var: UPSTREAM_KEY, prefix: "Key "}
        bearer:
          base_url: "%s"
          auth: {type: bearer_env, env_var: UPSTREAM_TOKEN}
      """.formatted(up.baseUrl(), up.baseUrl(), up.baseUrl()))
      .env("UPSTREAM_KEY", "s3cr3t-key").env("UPSTREAM_TOKEN", "t0ken"));

  private static JsonNode proxy(String envelope) {
    return e2e.gw().http.post("/proxy/http", envelope, "Content-Type", "application/json").json();
  }

  @Test
  void forwardsMethodPathQueryHeadersAndJsonBody() {
    var res = e2e.gw().http.post("/proxy/http", """
        {"target": "api", "method": "post", "path": "/users?page=2",
         "query": {"tag": ["a", "b c"], "n": 3, "flag": true},
         "headers": {"X-Trace": "t1", "Connection": "close, X-Trace"},
         "body": {"name": "Ada"}}
        """);
    assertThat(res.status()).isEqualTo(200);
    var seen = e2e.up().last();
    assertThat(seen.method()).isEqualTo("POST");
    assertThat(seen.uri()).isEqualTo("/base/users?page=2&tag=a&tag=b%20c&n=3&flag=true");
    assertThat(seen.header("Content-Type")).isEqualTo("application/json");
    assertThat(seen.bodyText()).isEqualTo("{\"name\": \"Ada\"}"); // as the client wrote it
    // X-Trace is named by Connection, so it is hop-by-hop and must not be forwarded.
    assertThat(seen.header("X-Trace")).isNull();
    JsonNode json = res.json();
    assertThat(json.get("success").asBoolean()).isTrue();
    assertThat(json.get("data").get("status_code").asInt()).isEqualTo(200);
    assertThat(json.get("data").get("body").get("method").asText()).isEqualTo("POST");
    assertThat(json.get("data").get("headers").get("content-type").asText()).isEqualTo("application/json");
  }

  @Test
  void sendsStringBodiesAsTheyAreAndBase64BodiesAsBytes() {
    proxy("{\"target\":\"api\",\"method\":\"PUT\",\"path\":\"/t\",\"body\":\"plain text\",\"headers\":{\"Content-Type\":\"text/plain\"}}");
    assertThat(e2e.up().last().bodyText()).isEqualTo("plain text");
    assertThat(e2e.up().last().header("Content-Type")).isEqualTo("text/plain");
    byte[] bytes = {0, 1, 2, (byte) 0xff};
    proxy("{\"target\":\"api\",\"method\":\"POST\",\"path\":\"/b\",\"body_base64\":\"" + Base64.getEncoder().encodeToString(bytes) + "\"}");
    assertThat(e2e.up().last().body().getBytes()).isEqualTo(bytes);
  }

  @Test
  void rendersJsonTextAndBinaryUpstreamBodies() {
    e2e.up().script("GET /base/text", Behavior.respond(200, Map.of("Content-Type", "text/plain"), "hello"));
    e2e.up().script("GET /base/bin", Behavior.respond(200, Map.of("Content-Type", "image/png"), Buffer.buffer(new byte[] {1, 2, 3})));
    e2e.up().script("GET /base/empty", Behavior.status(204));
    e2e.up().script("GET /base/badjson", Behavior.respond(200, Map.of("Content-Type", "application/json"), "{not json"));
    JsonNode text = proxy("{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/text\"}").get("data");
    assertThat(text.get("body").asText()).isEqualTo("hello");
    JsonNode bin = proxy("{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/bin\"}").get("data");
    assertThat(bin.has("body")).isFalse();
    assertThat(bin.get("body_base64").asText()).isEqualTo("AQID");
    assertThat(proxy("{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/empty\"}").get("data").get("body").isNull()).isTrue();
    assertThat(proxy("{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/badjson\"}").get("data").get("body").asText())
        .isEqualTo("{not json");
  }

  @Test
  void reportsAnUpstreamErrorStatusWithDataAndError() {
    e2e.up().script("GET /base/missing", Behavior.json(404, "{\"error\":\"nope\"}"));
    var res = e2e.gw().http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/missing\"}");
    assertThat(res.status()).isEqualTo(404);
    JsonNode json = res.json();
    assertThat(json.get("success").asBoolean()).isFalse();
    assertThat(json.get("data").get("body").get("error").asText()).isEqualTo("nope");
    JsonNode error = json.get("error");
    assertThat(error.get("type").asText()).isEqualTo("upstream_error");
    assertThat(error.get("code").asText()).isEqualTo("UPSTREAM_ERROR");
    assertThat(error.get("upstream_status").asInt()).isEqualTo(404);
    assertThat(error.get("status_code").asInt()).isEqualTo(404);
    assertThat(error.get("retryable").asBoolean()).isFalse();
    assertThat(error.get("target").asText()).isEqualTo("api");
  }

  @Test
  void keepsRetryAfterOfAnUpstream503() {
    e2e.up().script("GET /base/busy", Behavior.respond(503, Map.of("Retry-After", "7"), "busy"));
    var res = e2e.gw().http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/busy\"}");
    assertThat(res.status()).isEqualTo(503);
    assertThat(res.header("Retry-After")).isEqualTo("7");
    assertThat(res.json().get("error").get("retry_after_s").asInt()).isEqualTo(7);
    assertThat(res.json().get("error").get("retryable").asBoolean()).isTrue();
  }

  @Test
  void metaCarriesEveryFieldOnSuccessAndOnError() {
    var ok = e2e.gw().http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/x\"}", "X-Request-ID", "my-id-1");
    var bad = e2e.gw().http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"GET\"}");
    for (JsonNode meta : new JsonNode[] {ok.json().get("meta"), bad.json().get("meta")}) {
      assertThat(meta.has("request_id")).isTrue();
      assertThat(meta.get("target").asText()).isEqualTo("api");
      assertThat(meta.get("cache_hit").asBoolean()).isFalse();
      assertThat(meta.get("idempotent_hit").asBoolean()).isFalse();
      assertThat(meta.get("retries").asInt()).isZero();
      assertThat(meta.get("duration_ms").isIntegralNumber()).isTrue();
      assertThat(meta.get("fallback_used").asBoolean()).isFalse();
      assertThat(meta.has("fallback_target")).isTrue();
      assertThat(meta.get("fallback_target").isNull()).isTrue();
    }
    assertThat(ok.json().get("meta").get("request_id").asText()).isEqualTo("my-id-1");
    assertThat(ok.header("X-Request-ID")).isEqualTo("my-id-1");
    assertThat(ok.header("X-ReliAPI-Target")).isEqualTo("api");
    assertThat(ok.header("X-Duration-MS")).matches("\\d+");
    assertThat(ok.header("X-Retries")).isEqualTo("0");
    assertThat(ok.header("X-Cache-Hit")).isEqualTo("false");
  }

  @Test
  void injectsTargetCredentialsWhichWinOverEnvelopeHeaders() {
    proxy("{\"target\":\"keyed\",\"method\":\"GET\",\"path\":\"/a\",\"headers\":{\"X-Upstream-Key\":\"client-value\"}}");
    assertThat(e2e.up().last().header("X-Upstream-Key")).isEqualTo("Key s3cr3t-key");
    proxy("{\"target\":\"bearer\",\"method\":\"GET\",\"path\":\"/a\",\"headers\":{\"Authorization\":\"Bearer from-envelope\"}}");
    assertThat(e2e.up().last().header("Authorization")).isEqualTo("Bearer t0ken");
  }

  @Test
  void forwardsEnvelopeAuthorizationButNeverTheGatewayRequestHeaders() {
    e2e.gw().http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/a\",\"headers\":{\"Authorization\":\"Bearer for-upstream\"}}",
        "X-API-Key", "gateway-key", "X-Custom", "gateway-request-header");
    assertThat(e2e.up().last().header("Authorization")).isEqualTo("Bearer for-upstream");
    assertThat(e2e.up().last().header("X-API-Key")).isNull();
    assertThat(e2e.up().last().header("X-Custom")).isNull();
    assertThat(e2e.up().last().header("Host")).isEqualTo("127.0.0.1:" + e2e.up().port());
  }
}
