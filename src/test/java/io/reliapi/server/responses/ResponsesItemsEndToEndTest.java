package io.reliapi.server.responses;

import static io.reliapi.server.responses.CodexWebSearchEndToEndTest.SEARCH;
import static io.reliapi.server.responses.CodexWebSearchEndToEndTest.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.ResponsesBehaviors;
import io.reliapi.testing.SseEvents;
import io.reliapi.testing.TestHttp;
import io.reliapi.testing.TestYaml;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Responses API target's reasoning item (with the {@code encrypted_content} Codex asked for, to send it back next
 * turn) and its hosted {@code web_search_call} reach a {@code /v1/responses} client in their places before the
 * message, whole, streamed and replayed from the idempotency store and the cache.
 */
class ResponsesItemsEndToEndTest {
  static final String MODEL = "gpt-5-2025-08-07";
  static final String REASONING = "{\"id\":\"rs_68a0\",\"type\":\"reasoning\",\"summary\":[{\"type\":\"summary_text\","
      + "\"text\":\"**Searching the web**\"}],\"encrypted_content\":\"gAAAAABpSearchedReasoning\"}";
  static final String TEXT = "Vert.x 5 is out.";
  static final String OUTPUT = "[" + REASONING + "," + SEARCH + "," + ResponsesBehaviors.message(TEXT, "completed") + "]";
  static final String USAGE = "{\"input_tokens\":3000,\"output_tokens\":120,\"output_tokens_details\":"
      + "{\"reasoning_tokens\":64},\"total_tokens\":3120}";

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml(("""
      default_llm_target: openai
      targets:
        openai:
          base_url: "%1$s/v1"
          %2$s
          llm: {provider: openai, default_model: gpt-5, responses_api: true}
        cached:
          base_url: "%1$s/v1"
          %2$s
          llm: {provider: openai, default_model: gpt-5, responses_api: true}
          cache: {ttl_s: 60}
      """).formatted(up.baseUrl(), TestYaml.NO_RETRIES)));

  static TestHttp.Res post(String model, String question, boolean stream, String... headers) {
    return e2e.gw().http.post("/v1/responses", """
        {"model": "%s", "input": "%s", "stream": %s, "store": false, "include": ["reasoning.encrypted_content"],
         "reasoning": {"effort": "medium", "summary": "auto"}, "tools": [{"type": "web_search"}]}"""
        .formatted(model, question, stream), headers);
  }

  static Behavior whole() {
    return Behavior.respond(200, LlmBehaviors.openAiHeaders(),
        ResponsesBehaviors.response(MODEL, "completed", "null", OUTPUT, USAGE));
  }

  static Behavior streamed() {
    String created = ResponsesBehaviors.response(MODEL, "in_progress", "null", "[]", "null");
    String at = "\"item_id\":\"msg_684b3e45\",\"output_index\":2,\"content_index\":0";
    return LlmBehaviors.sse(List.of(
        event("response.created", "\"response\":" + created),
        event("response.output_item.added", "\"output_index\":0,\"item\":{\"id\":\"rs_68a0\",\"type\":\"reasoning\","
            + "\"summary\":[]}"),
        event("response.reasoning_summary_text.delta", "\"item_id\":\"rs_68a0\",\"output_index\":0,"
            + "\"summary_index\":0,\"delta\":\"**Searching the web**\""),
        event("response.output_item.done", "\"output_index\":0,\"item\":" + REASONING),
        event("response.output_item.added", "\"output_index\":1,\"item\":" + SEARCH.replace("completed", "in_progress")),
        event("response.web_search_call.searching", "\"output_index\":1,\"item_id\":\"ws_68a1\""),
        event("response.web_search_call.completed", "\"output_index\":1,\"item_id\":\"ws_68a1\""),
        event("response.output_item.done", "\"output_index\":1,\"item\":" + SEARCH),
        event("response.output_item.added", "\"output_index\":2,\"item\":{\"id\":\"msg_684b3e45\",\"type\":\"message\","
            + "\"status\":\"in_progress\",\"content\":[],\"role\":\"assistant\"}"),
        event("response.output_text.delta", at + ",\"delta\":\"" + TEXT + "\""),
        event("response.output_item.done", "\"output_index\":2,\"item\":" + ResponsesBehaviors.message(TEXT, "completed")),
        event("response.completed", "\"response\":" + ResponsesBehaviors.response(MODEL, "completed", "null", OUTPUT,
            USAGE))), 1);
  }

  static JsonNode json(String text) {
    return Json.parseOrNull(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Checks a response's output: the reasoning and the search as the provider gave them, then the message. */
  static void assertItems(JsonNode output) {
    assertThat(output).hasSize(3);
    assertThat(output.get(0)).isEqualTo(json(REASONING));
    assertThat(output.get(1)).isEqualTo(json(SEARCH));
    assertThat(output.get(2).get("type").asText()).isEqualTo("message");
    assertThat(output.get(2).get("content").get(0).get("text").asText()).isEqualTo(TEXT);
  }

  /** Checks a stream: each item announced at its index in order, done whole, and the completed response's output. */
  static void assertStreamedItems(TestHttp.Res r) {
    List<SseEvents.Event> events = SseEvents.parse(r.body());
    assertThat(SseEvents.names(events)).doesNotContain("error").endsWith("response.completed");
    List<Integer> announced = events.stream().filter(e -> e.name().equals("response.output_item.added"))
        .map(e -> e.json().get("output_index").asInt()).toList();
    assertThat(announced).containsExactly(0, 1, 2);
    List<JsonNode> done = events.stream().filter(e -> e.name().equals("response.output_item.done"))
        .map(e -> e.json().get("item")).toList();
    assertThat(done).startsWith(json(REASONING), json(SEARCH));
    assertItems(events.getLast().json().get("response").get("output"));
  }

  @Test
  void aWholeAnswerKeepsItsReasoningAndSearchItemsBeforeTheMessage() {
    e2e.up().script("POST /v1/responses", whole());
    var r = post("gpt-5", "Is Vert.x 5 out?", false);

    assertThat(r.status()).isEqualTo(200);
    assertItems(r.json().get("output"));
    assertThat(r.json().get("usage").get("output_tokens").asInt()).isEqualTo(120);
    // The provider's usage, charged once (its reasoning tokens are in its output): 3000 * $1.25/M + 120 * $10/M,
    // and its one web_search_call at the gateway's per-search fee, $0.01.
    assertThat(Double.parseDouble(r.header("X-ReliAPI-Cost-USD"))).isCloseTo(0.01495, within(1e-9));
  }

  @Test
  void aStreamedAnswerGivesTheItemsWholeInTheirPlaces() {
    double before = spent();
    e2e.up().script("POST /v1/responses", streamed());
    var r = post("gpt-5", "Is Vert.x 5 out, streamed?", true);

    assertThat(r.status()).isEqualTo(200);
    assertStreamedItems(r);
    // Settled at the stream's end: its tokens and its one search, as whole.
    Awaitility.await().untilAsserted(() -> assertThat(spent() - before).isCloseTo(0.01495, within(1e-9)));
  }

  private static double spent() {
    return MetricSamples.scrape(e2e.gw()).value("reliapi_llm_cost_usd_total", "target", "openai");
  }

  @Test
  void aKeyedAnswerIsReplayedWithItsItemsWholeAndStreamed() {
    assertKeyedReplays(whole(), false, "Keyed?", "k-items-1");
  }

  @Test
  void aStreamedAnswerWithReasoningIsKeptUnderItsKeyAndReplayedWithItsItems() {
    assertKeyedReplays(streamed(), true, "Streamed and keyed?", "k-items-2");
  }

  /** Asks {@code question} under {@code key} (answered by {@code answer}), then again whole and streamed: replays. */
  private static void assertKeyedReplays(Behavior answer, boolean stream, String question, String key) {
    e2e.up().script("POST /v1/responses", answer);
    var first = post("gpt-5", question, stream, "Idempotency-Key", key);
    var whole = post("gpt-5", question, false, "Idempotency-Key", key);
    var streamed = post("gpt-5", question, true, "Idempotency-Key", key);

    if (stream) {
      assertStreamedItems(first);
    } else {
      assertItems(first.json().get("output"));
    }
    assertThat(whole.status()).isEqualTo(200);
    assertThat(whole.header("Idempotent-Replayed")).isEqualTo("true");
    assertItems(whole.json().get("output"));
    assertThat(streamed.header("Idempotent-Replayed")).isEqualTo("true");
    assertStreamedItems(streamed);
    assertThat(e2e.up().count("/v1/responses")).isEqualTo(1);
  }

  @Test
  void aCachedAnswerIsReplayedWithItsItemsWholeAndStreamed() {
    e2e.up().script("POST /v1/responses", whole());
    var first = post("cached/gpt-5", "Cached?", false);
    var whole = post("cached/gpt-5", "Cached?", false);
    var streamed = post("cached/gpt-5", "Cached?", true);

    assertItems(first.json().get("output"));
    assertThat(whole.header("X-Cache-Hit")).isEqualTo("true");
    assertItems(whole.json().get("output"));
    assertThat(streamed.header("X-Cache-Hit")).isEqualTo("true");
    assertStreamedItems(streamed);
  }
}
