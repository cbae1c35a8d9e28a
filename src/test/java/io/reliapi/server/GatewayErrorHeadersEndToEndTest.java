package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.TestHttp.Res;
import io.reliapi.testing.TestYaml;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every error the gateway writes itself on a proxy route, whatever the route's shape (envelope, problem+json,
 * OpenAI's, Anthropic's, the plain object), forbids a browser to read it as anything but what it says it is: it
 * may echo what the request sent. So do the model lists and the LLM answers the gateway writes itself (an answer
 * it rendered in the client's protocol may carry what the model made of the prompt). An upstream's own answer
 * passed through keeps the upstream's headers.
 */
class GatewayErrorHeadersEndToEndTest {
  private static final String CHAT = "{\"model\": \"gpt/gpt-4o-mini\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";
  private static final String MESSAGES = "{\"model\": \"gpt/gpt-4o-mini\", \"max_tokens\": 5,"
      + " \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";
  private static final String[] KEY = {"X-API-Key", "k-app"};

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      server: {max_body_bytes: 2000}
      clients:
        - {name: app, key_env: APP_KEY}
        - {name: slow, key_env: SLOW_KEY, rate_limit: {rps: 1, burst: 1}}
      targets:
        api:
          base_url: "%1$s"
          timeout_ms: 300
          %2$s
        gpt:
          base_url: "%1$s/v1"
          %2$s
          llm: {provider: openai, default_model: gpt-4o-mini}
      """.formatted(up.baseUrl(), TestYaml.NO_RETRIES)).env("APP_KEY", "k-app").env("SLOW_KEY", "k-slow"));

  private static void nosniff(Res res, int status, String type) {
    assertThat(res.status()).as(res.body()).isEqualTo(status);
    assertThat(res.header("Content-Type")).startsWith(type);
    assertThat(res.header("X-Content-Type-Options")).as(res.body()).isEqualTo("nosniff");
  }

  @Test
  void envelopeErrorsAreNosniff() {
    var http = e2e.gw().http;
    nosniff(http.post("/proxy/http", "not json", KEY), 400, "application/json");
    nosniff(http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/a\"}"), 401,
        "application/json");
    nosniff(http.post("/proxy/http", "{\"target\":\"nope\",\"method\":\"GET\",\"path\":\"/a\"}", KEY), 404,
        "application/json");
    nosniff(http.post("/proxy/http", "x".repeat(3000), KEY), 413, "application/json");
    e2e.up().script("GET /slow", Behavior.silence());
    nosniff(http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/slow\"}", KEY), 504,
        "application/json");
    e2e.up().script("GET /down", Behavior.json(503, "{\"busy\": true}"));
    nosniff(http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/down\"}", KEY), 503,
        "application/json");
    nosniff(http.post("/proxy/llm", "{\"target\":\"gpt\"}", KEY), 400, "application/json");
  }

  @Test
  void rateLimitRefusalsAreNosniffOnEveryShape() {
    var http = e2e.gw().http;
    e2e.up().otherwise("GET /a", Behavior.status(200));
    assertThat(http.get("/t/api/a", "X-API-Key", "k-slow").status()).isEqualTo(200);
    nosniff(http.get("/t/api/a", "X-API-Key", "k-slow"), 429, "application/problem+json");
    nosniff(http.post("/proxy/http", "{\"target\":\"api\",\"method\":\"GET\",\"path\":\"/a\"}", "X-API-Key",
        "k-slow"), 429, "application/json");
    nosniff(http.post("/v1/chat/completions", CHAT, "X-API-Key", "k-slow"), 429, "application/json");
  }

  @Test
  void passThroughAndLlmRouteErrorsAreNosniff() {
    var http = e2e.gw().http;
    nosniff(http.get("/t/nope/a", KEY), 404, "application/problem+json");
    nosniff(http.post("/t/api/upload", "y".repeat(3000), KEY), 413, "application/problem+json");
    nosniff(http.post("/v1/chat/completions", "{", KEY), 400, "application/json");
    nosniff(http.post("/v1/chat/completions", CHAT), 401, "application/json");
    nosniff(http.post("/v1/messages", MESSAGES, "x-api-key", "wrong"), 401, "application/json");
    nosniff(http.post("/v1/messages", "{", "x-api-key", "k-app"), 400, "application/json");
    e2e.up().script("POST /v1/chat/completions",
        Behavior.json(500, "{\"error\": {\"type\": \"server_error\", \"message\": \"boom\"}}"));
    nosniff(http.post("/v1/chat/completions", CHAT, KEY), 500, "application/json");
    e2e.up().script("POST /v1/chat/completions", Behavior.reset());
    nosniff(http.post("/v1/chat/completions", CHAT, KEY), 502, "application/json");
    nosniff(http.get("/v1/models/nope", KEY), 404, "application/json");
    nosniff(http.get("/v1/models/nope", "x-api-key", "k-app", "anthropic-version", "2023-06-01"), 404,
        "application/json");
    nosniff(http.get("/nowhere"), 404, "application/json");
  }

  @Test
  void theLlmAnswersTheGatewayRendersAreNosniffOnEveryProtocol() {
    var http = e2e.gw().http;
    String chat = "POST /v1/chat/completions";
    e2e.up().script(chat, LlmBehaviors.openAi("gpt-4o-mini", "<script>hi</script>", 9, 3));
    nosniff(http.post("/v1/chat/completions", CHAT, KEY), 200, "application/json");
    e2e.up().script(chat, LlmBehaviors.openAi("gpt-4o-mini", "<script>hi</script>", 9, 3));
    nosniff(http.post("/v1/chat/completions", CHAT.replace("{", "{\"stream\": true, "), KEY), 200,
        "text/event-stream");
    e2e.up().script(chat, LlmBehaviors.openAi("gpt-4o-mini", "<script>hi</script>", 9, 3));
    nosniff(http.post("/v1/messages", MESSAGES, KEY), 200, "application/json");
    e2e.up().script(chat, LlmBehaviors.openAi("gpt-4o-mini", "<script>hi</script>", 9, 3));
    nosniff(http.post("/v1/responses", "{\"model\": \"gpt/gpt-4o-mini\", \"input\": \"hi\"}", KEY), 200,
        "application/json");
    e2e.up().script(chat, LlmBehaviors.openAi("gpt-4o-mini", "<script>hi</script>", 9, 3));
    nosniff(http.post("/proxy/llm", "{\"target\": \"gpt\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
        KEY), 200, "application/json");
  }

  @Test
  void anUpstreamsOwnAnswerPassedThroughKeepsItsOwnHeaders() {
    e2e.up().script("GET /page", Behavior.respond(404, Map.of("Content-Type", "text/html"), "<p>gone</p>"));
    var res = e2e.gw().http.get("/t/api/page", KEY);
    assertThat(res.status()).isEqualTo(404);
    assertThat(res.header("Content-Type")).startsWith("text/html");
    assertThat(res.header("X-Content-Type-Options")).isNull();
  }

  @Test
  void theModelListsTheGatewayWritesItselfAreNosniffInEitherShape() {
    var http = e2e.gw().http;
    nosniff(http.get("/v1/models", KEY), 200, "application/json");
    nosniff(http.get("/v1/models/gpt/gpt-4o-mini", KEY), 200, "application/json");
    nosniff(http.get("/v1/models", "X-API-Key", "k-app", "anthropic-version", "2023-06-01"), 200, "application/json");
    nosniff(http.get("/v1/models/gpt/gpt-4o-mini", "X-API-Key", "k-app", "anthropic-version", "2023-06-01"), 200,
        "application/json");
  }
}
