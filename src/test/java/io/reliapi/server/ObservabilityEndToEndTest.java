package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LogCapture;
import io.reliapi.testing.MockUpstream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Metrics, access log and the promise that no secret, body, path or upstream address leaks (SPEC §4, §6). */
class ObservabilityEndToEndTest {
  private static final String SECRET = "SECRET123";
  private static final Pattern SAMPLE = Pattern.compile(
      "^[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"[^\"]*\",?)*\\})? -?[0-9.eE+-]+|NaN|[+-]Inf$");

  @Test
  void exportsPrometheusTextAndOneJsonAccessLinePerRequestWithoutLeaks() {
    List<String> responses = new ArrayList<>();
    try (LogCapture logs = LogCapture.capture();
         MockUpstream up = MockUpstream.start();
         GatewayHarness gw = GatewayHarness.yaml("""
             clients: [{name: backend, key_env: CLIENT_KEY}]
             targets:
               api:
                 base_url: "%s"
                 timeout_ms: 1500
                 retry_matrix: {"5xx": {attempts: 1}, timeout: {attempts: 1}}
                 auth: {type: bearer_env, env_var: TARGET_SECRET}
             """.formatted(up.baseUrl())).env("CLIENT_KEY", "client-" + SECRET).env("TARGET_SECRET", "target-" + SECRET)
             .start()) {
      String key = "client-" + SECRET;
      up.script("GET /fail", Behavior.respond(500, java.util.Map.of(), "upstream said " + SECRET));
      up.script("GET /slow", Behavior.silence());
      // The upstream echoes what it received: that answer is the upstream's own, so it is not checked for leaks.
      var echoed = gw.http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/ok?api_key=" + SECRET
          + "\",\"headers\":{\"Cookie\":\"s=" + SECRET + "\"},\"body\":\"" + SECRET + "\"}", "X-API-Key", key);
      assertThat(echoed.status()).isEqualTo(200);
      responses.add(gw.http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/slow\"}",
          "X-API-Key", key).body());
      responses.add(gw.http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/../" + SECRET + "\"}",
          "X-API-Key", key).body());
      responses.add(gw.http.post("/proxy/http", "{broken " + SECRET, "X-API-Key", key).body());
      responses.add(gw.http.post("/proxy/http", "{}", "X-API-Key", "wrong-" + SECRET).body());
      assertThat(gw.http.get("/t/api/fail?token=" + SECRET, "Authorization", "Bearer " + key).status()).isEqualTo(500);
      String metrics = gw.http.get("/metrics").body();

      for (String line : metrics.split("\n")) {
        if (!line.startsWith("#") && !line.isBlank()) {
          assertThat(SAMPLE.matcher(line).matches()).as(line).isTrue();
        }
      }
      assertThat(metrics).contains("reliapi_requests_total{kind=\"http\",outcome=\"success\",target=\"api\"} 1.0");
      assertThat(metrics).contains("reliapi_requests_total{kind=\"http\",outcome=\"error\",target=\"api\"}");
      assertThat(metrics).contains("reliapi_errors_total{code=\"UPSTREAM_TIMEOUT\",target=\"api\"} 1.0");
      assertThat(metrics).contains("reliapi_errors_total{code=\"UNAUTHORIZED\",target=\"none\"} 1.0");
      assertThat(metrics).contains("reliapi_upstream_attempts_total{deployment=\"\",result=\"timeout\",target=\"api\"} 1.0");
      assertThat(metrics).contains("reliapi_upstream_attempts_total{deployment=\"\",result=\"http_5xx\",target=\"api\"} 1.0");
      assertThat(metrics).contains("reliapi_request_duration_seconds_bucket{kind=\"http\",target=\"api\",le=\"0.005\"}");
      assertThat(metrics).doesNotContain(SECRET, "/ok", "/fail", "127.0.0.1");

      // The capture sees every gateway's lines in this JVM: wait for this test's own timed-out request, not a count.
      Awaitility.await().until(() -> logs.accessLines().size() >= 6
          && logs.accessLines().stream().anyMatch(l -> l.contains("\"error_code\":\"UPSTREAM_TIMEOUT\"")));
      for (String line : logs.accessLines()) {
        JsonNode json = Json.parseOrNull(line.getBytes());
        assertThat(json).as(line).isNotNull();
        for (String field : List.of("request_id", "client", "target", "deployment", "kind", "method", "status", "outcome",
            "duration_ms", "retries", "cache_hit", "idempotent_hit", "fallback_target", "cost_usd", "error_code")) {
          assertThat(json.has(field)).as(field + " in " + line).isTrue();
        }
      }
      assertThat(logs.accessLines()).anySatisfy(l -> assertThat(l).contains("\"error_code\":\"UPSTREAM_TIMEOUT\"")
          .contains("\"status\":504").contains("\"client\":\"backend\""));
      // Gateway-written answers, every log line and the metrics never carry a secret, a stack trace or an address.
      String everything = String.join("\n", responses) + logs.all() + metrics;
      assertThat(everything).doesNotContain(SECRET, "Exception", "\tat ", "127.0.0.1:" + up.port());
      assertThat(up.requests()).allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer target-" + SECRET));
    }
  }
}
