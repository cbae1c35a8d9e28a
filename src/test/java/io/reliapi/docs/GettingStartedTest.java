package io.reliapi.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.MockUpstream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The getting-started walk-through, step by step, on the shipped example config with its upstream
 * replaced by a local stand-in (the machine running the tests may have no internet).
 */
class GettingStartedTest {
  @Test
  void theWalkThroughWorksOnTheExampleConfig() throws Exception {
    String example = Files.readString(Path.of("examples/config.yaml"));
    try (MockUpstream up = MockUpstream.start()) {
      up.otherwise("GET /todos/1", Behavior.json(200,
          "{\"userId\": 1, \"id\": 1, \"title\": \"delectus aut autem\", \"completed\": false}"));
      up.otherwise("POST /posts", call -> Behavior.json(201, "{\"id\": 101}").respond(call));
      String config = example.replace("https://jsonplaceholder.typicode.com", up.baseUrl())
          .replace("port: 8000", "port: 0");
      try (GatewayHarness gw = GatewayHarness.yaml(config).start()) {
        var first = gw.http.post("/proxy/http", "{\"target\": \"jsonplaceholder\", \"method\": \"GET\", \"path\": \"/todos/1\"}",
            "Content-Type", "application/json");
        assertThat(first.json().get("data").get("body").get("title").asText()).isEqualTo("delectus aut autem");
        assertThat(first.json().get("meta").get("cache_hit").asBoolean()).isFalse();

        var hit = gw.http.get("/t/jsonplaceholder/todos/1");
        assertThat(hit.header("X-Cache-Hit")).isEqualTo("true");
        assertThat(hit.header("Age")).isNotNull();
        assertThat(up.count("/todos/1")).isEqualTo(1);

        String post = "{\"target\": \"jsonplaceholder\", \"method\": \"POST\", \"path\": \"/posts\", \"body\": {\"title\": \"hello\"}}";
        var created = gw.http.post("/proxy/http", post, "Content-Type", "application/json", "Idempotency-Key", "order-1001");
        var replayed = gw.http.post("/proxy/http", post, "Content-Type", "application/json", "Idempotency-Key", "order-1001");
        assertThat(created.json().get("data").get("status_code").asInt()).isEqualTo(201);
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replayed.json().get("meta").get("idempotent_hit").asBoolean()).isTrue();
        assertThat(up.count("/posts")).isEqualTo(1);

        var conflict = gw.http.post("/proxy/http", post.replace("hello", "changed"), "Idempotency-Key", "order-1001");
        assertThat(conflict.status()).isEqualTo(422);

        String metrics = gw.http.get("/metrics").body();
        assertThat(metrics).contains("reliapi_cache_hits_total{target=\"jsonplaceholder\"} 1.0")
            .contains("reliapi_idempotent_replays_total{target=\"jsonplaceholder\"} 1.0");
      }
    }
  }
}
