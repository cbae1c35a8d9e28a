package io.reliapi.server.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.http.Json;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.ResponsesBehaviors;
import io.reliapi.testing.SseEvents;
import io.reliapi.testing.TestHttp;
import io.reliapi.testing.TestYaml;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Codex CLI's default request, which carries OpenAI's hosted {@code web_search} tool: served as written by a target
 * with the Responses API and no cost controls (the search and the searched answer's text reach Codex, whole, streamed
 * and replayed), refused by a target without that API (no translation carries the tool) and, before anything is sent,
 * by a target with a cost cap or a client with a budget (the search fee cannot be bounded). Without the search, the
 * same turn on Codex's own models (Responses API only) is served by both at the built-in table's prices.
 */
class CodexWebSearchEndToEndTest {
  static final String SEARCH = "{\"id\":\"ws_68a1\",\"type\":\"web_search_call\",\"status\":\"completed\","
      + "\"action\":{\"type\":\"search\",\"query\":\"vert.x 5 release\"}}";
  static final String ANNOTATION = "{\"type\":\"url_citation\",\"start_index\":20,\"end_index\":46,"
      + "\"url\":\"https://vertx.io/blog\",\"title\":\"Vert.x blog\"}";
  static final String TEXT = "Vert.x 5 is out ([vertx.io](https://vertx.io/blog)).";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml(("""
      default_llm_target: openai
      clients:
        - {name: codex, key_env: CODEX_KEY}
        - {name: frugal, key_env: FRUGAL_KEY, budget: {daily_usd: 10}}
      targets:
      """ + CodexCliEndToEndTest.TARGETS + """
        capped:
          base_url: "%1$s/v1"
          %2$s
          llm: {provider: openai, default_model: gpt-5, responses_api: true, hard_cost_cap_usd: 1}
      """).formatted(up.baseUrl(), TestYaml.NO_RETRIES)).env("CODEX_KEY", "k-codex").env("FRUGAL_KEY", "k-frugal"));

  /** Codex's turn ({@link CodexCliEndToEndTest#turn}) with the web search it adds by default. */
  static String turn(String model, boolean stream) {
    ObjectNode body = (ObjectNode) Json.parseOrNull(CodexCliEndToEndTest.turn(model, stream)
        .getBytes(StandardCharsets.UTF_8));
    ((ArrayNode) body.get("tools")).addObject().put("type", "web_search").put("external_web_access", false);
    return body.toString();
  }

  static TestHttp.Res post(String body, String key, String... headers) {
    List<String> all = new java.util.ArrayList<>(List.of("Authorization", "Bearer " + key));
    all.addAll(List.of(headers));
    return e2e.gw().http.post("/v1/responses", body, all.toArray(String[]::new));
  }

  static String message() {
    return "{\"id\":\"msg_68a2\",\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\",\"content\":"
        + "[{\"type\":\"output_text\",\"annotations\":[" + ANNOTATION + "],\"text\":\"" + escaped(TEXT) + "\"}]}";
  }

  static JsonNode json(String text) {
    return Json.parseOrNull(text.getBytes(StandardCharsets.UTF_8));
  }

  static String escaped(String text) {
    return CodexCliEndToEndTest.escaped(text);
  }

  static List<String> searchEvents() {
    String created = ResponsesBehaviors.response("gpt-5-2025-08-07", "in_progress", "null", "[]", "null");
    String searching = SEARCH.replace("\"completed\"", "\"in_progress\"");
    String at = "\"item_id\":\"msg_68a2\",\"output_index\":1,\"content_index\":0";
    return List.of(
        event("response.created", "\"response\":" + created),
        event("response.output_item.added", "\"output_index\":0,\"item\":" + searching),
        event("response.web_search_call.in_progress", "\"output_index\":0,\"item_id\":\"ws_68a1\""),
        event("response.web_search_call.searching", "\"output_index\":0,\"item_id\":\"ws_68a1\""),
        event("response.web_search_call.completed", "\"output_index\":0,\"item_id\":\"ws_68a1\""),
        event("response.output_item.done", "\"output_index\":0,\"item\":" + SEARCH),
        event("response.output_item.added", "\"output_index\":1,\"item\":{\"id\":\"msg_68a2\",\"type\":\"message\","
            + "\"status\":\"in_progress\",\"content\":[],\"role\":\"assistant\"}"),
        event("response.content_part.added", at + ",\"part\":{\"type\":\"output_text\",\"annotations\":[],\"text\":\"\"}"),
        event("response.output_text.delta", at + ",\"delta\":\"" + escaped(TEXT) + "\""),
        event("response.output_text.annotation.added", at + ",\"annotation_index\":0,\"annotation\":" + ANNOTATION),
        event("response.output_text.done", at + ",\"text\":\"" + escaped(TEXT) + "\""),
        event("response.output_item.done", "\"output_index\":1,\"item\":" + message()),
        event("response.completed", "\"response\":" + ResponsesBehaviors.response("gpt-5-2025-08-07", "completed",
            "null", "[" + SEARCH + "," + message() + "]", usage())));
  }

  static String usage() {
    return "{\"input_tokens\":3000,\"output_tokens\":120,\"total_tokens\":3120}";
  }

  static String event(String type, String fields) {
    return "event: " + type + "\ndata: {\"type\":\"" + type + "\"," + fields + "}\n\n";
  }

  @Test
  void aTargetWithTheResponsesApiAndNoCostControlsGetsTheHostedToolAndCodexGetsTheSearchedAnswer() {
    e2e.up().script("POST /v1/responses", Behavior.respond(200, LlmBehaviors.openAiHeaders(),
        ResponsesBehaviors.response("gpt-5-2025-08-07", "completed", "null", "[" + SEARCH + "," + message() + "]",
            usage())));
    var r = post(turn("gpt-5", false), "k-codex", "Cache-Control", "no-cache");

    assertThat(r.status()).isEqualTo(200);
    JsonNode sent = Json.parseOrNull(e2e.up().last().body().getBytes());
    assertThat(sent.get("tools").get(2)).isEqualTo(Json.parseOrNull(
        "{\"type\": \"web_search\", \"external_web_access\": false}".getBytes(StandardCharsets.UTF_8)));
    JsonNode output = r.json().get("output");
    assertThat(output).hasSize(2);
    assertThat(output.get(0)).as("the search, as the provider gave it").isEqualTo(json(SEARCH));
    assertThat(output.get(1).get("content").get(0).get("text").asText()).isEqualTo(TEXT);
    assertThat(output.get(1).get("content").get(0).get("annotations")).containsExactly(json(ANNOTATION));
  }

  /** Checks a streamed searched answer: the search, then the text with its annotation, announced and in the end. */
  static void assertSearchedStream(TestHttp.Res r) {
    assertThat(r.status()).isEqualTo(200);
    var events = SseEvents.parse(r.body());
    assertThat(SseEvents.names(events)).contains("response.output_text.delta").doesNotContain("error");
    JsonNode added = events.stream().filter(e -> e.name().equals("response.output_text.annotation.added"))
        .findFirst().orElseThrow().json();
    assertThat(added.get("annotation")).isEqualTo(json(ANNOTATION));
    assertThat(added.get("output_index").asInt()).isEqualTo(1);
    assertThat(added.get("content_index").asInt()).isZero();
    assertThat(added.get("annotation_index").asInt()).isZero();
    JsonNode completed = events.getLast().json().get("response");
    assertThat(completed.get("status").asText()).isEqualTo("completed");
    assertThat(completed.get("output").get(0)).isEqualTo(json(SEARCH));
    JsonNode text = completed.get("output").get(1).get("content").get(0);
    assertThat(text.get("text").asText()).isEqualTo(TEXT);
    assertThat(text.get("annotations")).containsExactly(json(ANNOTATION));
  }

  @Test
  void aStreamedSearchReachesCodexWithItsAnnotationsAndIsReplayedWithThem() {
    // Its own conversation, so no other test's stored answer is found for it.
    String streamed = turn("gpt-5", true).replace("Say hello in hello.py", "Say hello in streamed.py");
    e2e.up().script("POST /v1/responses", LlmBehaviors.sse(searchEvents(), 1));
    var r = post(streamed, "k-codex");
    assertThat(r.header("X-Cache-Hit")).isNotEqualTo("true");

    assertSearchedStream(r);

    // The stored answer keeps the annotations: the repeat is replayed with them, whole and streamed.
    var again = post(streamed, "k-codex");
    var whole = post(streamed.replace("\"stream\":true", "\"stream\":false"), "k-codex");
    assertThat(again.header("X-Cache-Hit")).isEqualTo("true");
    assertSearchedStream(again);
    assertThat(whole.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(whole.json().get("output").get(1).get("content").get(0).get("annotations"))
        .containsExactly(json(ANNOTATION));
    assertThat(e2e.up().count("/v1/responses")).isEqualTo(1);
  }

  @Test
  void aTargetWithoutTheResponsesApiRefusesTheHostedToolBeforeSending() {
    var r = post(turn("vllm/gpt-oss-120b", false), "k-codex");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").get("code").asText()).isEqualTo("INVALID_REQUEST");
    assertThat(r.json().get("error").get("message").asText()).contains("'tools[2]' (a hosted tool of type web_search)")
        .contains("'vllm'").contains("only targets that serve the Responses API");
    assertThat(e2e.up().count("/vllm/v1/chat/completions")).isZero();
  }

  @Test
  void aCappedTargetOrABudgetedClientRefusesTheUnboundedSearchFeeNamingTheTool() {
    var capped = post(turn("capped/gpt-5", false), "k-codex");
    var budgeted = post(turn("gpt-5", false), "k-frugal");

    for (var r : List.of(capped, budgeted)) {
      assertThat(r.status()).isEqualTo(400);
      JsonNode error = r.json().get("error");
      assertThat(error.get("code").asText()).isEqualTo("MODEL_PRICE_UNKNOWN");
      assertThat(error.get("message").asText()).contains("'tools[2]'").contains("web_search");
      assertThat(error.get("details").get("field").asText()).isEqualTo("tools[2]");
    }
    assertThat(e2e.up().count("/v1/responses")).isZero();
  }

  @Test
  void withoutTheSearchACappedTargetServesGpt5CodexAtTheBuiltInPrice() {
    e2e.up().script("POST /v1/responses", ResponsesBehaviors.customCall("gpt-5-codex", "call_W1", "apply_patch",
        escaped(CodexCliEndToEndTest.PATCH), 1000, 100));
    var r = post(CodexCliEndToEndTest.turn("capped/gpt-5-codex", false), "k-codex");

    assertThat(r.status()).isEqualTo(200);
    assertThat(e2e.up().count("/v1/responses")).isEqualTo(1);
    // gpt-5-codex: 1000 × 1.25 / 1M + 100 × 10 / 1M
    assertThat(r.header("X-ReliAPI-Cost-USD")).isEqualTo("0.00225");
  }

  @Test
  void withoutTheSearchAClientWithABudgetGetsGpt51CodexMiniAtTheBuiltInPrice() {
    e2e.up().script("POST /v1/responses", ResponsesBehaviors.customCall("gpt-5.1-codex-mini", "call_W1",
        "apply_patch", escaped(CodexCliEndToEndTest.PATCH), 1000, 100));
    var r = post(CodexCliEndToEndTest.turn("gpt-5.1-codex-mini", false), "k-frugal", "Cache-Control", "no-cache");

    assertThat(r.status()).isEqualTo(200);
    // gpt-5.1-codex-mini: 1000 × 0.25 / 1M + 100 × 2 / 1M
    assertThat(r.header("X-ReliAPI-Cost-USD")).isEqualTo("0.00045");
  }
}
