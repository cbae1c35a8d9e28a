package io.reliapi.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.LogCapture;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp.Res;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each request's decision trail: in its access-log line and, for the last N requests, in the admin API. */
class TrailEndToEndTest {
  private static final String ADMIN = "X-API-Key";

  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();

  private void start(int trailSize) {
    e2e.start(GatewayHarness.yaml("""
        admin: {keys_env: ADMIN_KEYS, trail_size: %2$d}
        clients: [{name: backend, key_env: CLIENT_KEY, budget: {daily_usd: 5}}]
        targets:
          api:
            base_url: "%1$s"
            retry_matrix: {"5xx": {attempts: 3, backoff: constant, base_s: 0.02, max_s: 1}}
            circuit: {error_threshold: 50}
            cache: {ttl_s: 60}
            fallback_targets: [backup]
          backup:
            base_url: "%1$s/backup"
            circuit: {error_threshold: 1, cooldown_s: 60}
          openai:
            base_url: "%1$s/v1"
            retry_matrix: {"5xx": {attempts: 1}}
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100}
        """.formatted(e2e.up().baseUrl(), trailSize)).env("ADMIN_KEYS", "admin-1").env("CLIENT_KEY", "client-1"));
  }

  private Res get(String path, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "X-API-Key";
    all[1] = "client-1";
    System.arraycopy(headers, 0, all, 2, headers.length);
    return e2e.gw().http.get(path, all);
  }

  private JsonNode trailOf(String requestId) {
    Res res = e2e.gw().http.get("/admin/requests/" + requestId, ADMIN, "admin-1");
    assertThat(res.status()).as(res.body()).isEqualTo(200);
    return res.json();
  }

  @Test
  void aRetriedRequestShowsEachAttemptAndTheWaitBeforeItInTheLogAndTheAdminApi() {
    start(100);
    e2e.up().script("GET /flaky", Behavior.status(503), Behavior.status(502), Behavior.json(200, "{}"));
    try (LogCapture logs = LogCapture.capture()) {
      Res res = get("/t/api/flaky", "X-Request-ID", "retried-1", "Cache-Control", "no-store");
      assertThat(res.status()).isEqualTo(200);

      JsonNode record = trailOf("retried-1");
      assertThat(record.get("status").asInt()).isEqualTo(200);
      List<JsonNode> attempts = record.get("trail").findParents("number");
      assertThat(attempts).extracting(a -> a.get("status").asInt()).containsExactly(503, 502, 200);
      assertThat(attempts).extracting(a -> a.get("wait_ms").asLong()).containsExactly(0L, 20L, 20L);
      assertThat(attempts).allSatisfy(a -> assertThat(a.get("target").asText()).isEqualTo("api"));

      Awaitility.await().until(() -> logs.accessLines().stream().anyMatch(l -> l.contains("retried-1")));
      String line = logs.accessLines().stream().filter(l -> l.contains("retried-1")).findFirst().orElseThrow();
      JsonNode trail = Json.parseOrNull(line.getBytes()).get("trail");
      assertThat(trail).hasSize(3);
      assertThat(trail.get(0).asText()).startsWith("attempt api#1 503 ");
      assertThat(trail.get(1).asText()).startsWith("attempt api#2 wait=20ms 502 ");
      assertThat(trail.get(2).asText()).startsWith("attempt api#3 wait=20ms 200 ");
    }
  }

  @Test
  void cacheFallbackAndCircuitDecisionsAreOnTheTrail() {
    start(100);
    e2e.up().otherwise("GET /cached", Behavior.json(200, "{\"n\":1}"));
    get("/t/api/cached", "X-Request-ID", "miss-1");
    get("/t/api/cached", "X-Request-ID", "hit-1");
    assertThat(trailOf("miss-1").get("trail").findValuesAsText("decision")).containsExactly("miss");
    assertThat(trailOf("hit-1").get("trail").findValuesAsText("decision")).containsExactly("hit");

    e2e.up().otherwise("GET /down", Behavior.status(500));
    e2e.up().otherwise("GET /backup/down", Behavior.status(500));
    get("/t/api/down", "X-Request-ID", "fell-1");
    JsonNode fell = trailOf("fell-1").get("trail");
    // Three attempts on api, then backup: its breaker opens on the first failure and refuses the retry.
    assertThat(fell.findValuesAsText("kind")).containsExactly("cache", "attempt", "attempt", "attempt", "fallback",
        "attempt", "circuit_open");
    assertThat(fell.findValuesAsText("text")).contains("fallback api->backup");
    // The next request is refused at backup without a call.
    get("/t/api/down", "X-Request-ID", "fell-2");
    assertThat(trailOf("fell-2").get("trail").findValuesAsText("text")).endsWith("fallback api->backup",
        "circuit_open backup");
  }

  @Test
  void idempotencyAndBudgetStepsAreOnTheTrail() {
    start(100);
    e2e.up().otherwise("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Hi!", 8, 2));
    String body = "{\"target\": \"openai\", \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}";
    e2e.gw().http.post("/proxy/llm", body, "X-API-Key", "client-1", "X-Request-ID", "llm-1", "Idempotency-Key", "k-1");
    e2e.gw().http.post("/proxy/llm", body, "X-API-Key", "client-1", "X-Request-ID", "llm-2", "Idempotency-Key", "k-1");

    assertThat(trailOf("llm-1").get("trail").findValuesAsText("text")).containsExactly("idempotency lead",
        "budget reserved 0.0000612", trailOf("llm-1").get("trail").get(2).get("text").asText(), "budget settled 0.0000024");
    assertThat(trailOf("llm-1").get("trail").get(2).get("kind").asText()).isEqualTo("attempt");
    assertThat(trailOf("llm-2").get("trail").findValuesAsText("text")).containsExactly("idempotency replay");
  }

  @Test
  void onlyTheLastTrailSizeRequestsAreKept() {
    start(3);
    for (int i = 1; i <= 5; i++) {
      get("/t/api/n", "X-Request-ID", "n-" + i, "Cache-Control", "no-store");
    }
    assertThat(e2e.gw().http.get("/admin/requests/n-1", ADMIN, "admin-1").status()).isEqualTo(404);
    assertThat(e2e.gw().http.get("/admin/requests/n-2", ADMIN, "admin-1").status()).isEqualTo(404);
    assertThat(e2e.gw().http.get("/admin/requests/n-5", ADMIN, "admin-1").status()).isEqualTo(200);
    JsonNode recent = e2e.gw().http.get("/admin/requests", ADMIN, "admin-1").json().get("requests");
    assertThat(recent.findValuesAsText("request_id")).containsExactly("n-5", "n-4", "n-3");
  }
}
