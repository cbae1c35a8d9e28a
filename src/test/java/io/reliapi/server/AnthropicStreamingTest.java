package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.SseEvents;
import io.reliapi.testing.TestHttp;
import io.reliapi.testing.TestYaml;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code POST /v1/messages} with {@code stream: true}: Anthropic's events, whichever provider answers. */
class AnthropicStreamingTest {

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        claude:
          base_url: "%1$s/v1"
          %2$s
          llm: {provider: anthropic, default_model: claude-haiku-4-5}
        openai:
          base_url: "%1$s/v1"
          %2$s
          llm: {provider: openai, default_model: gpt-4o-mini}
      """.formatted(up.baseUrl(), TestYaml.NO_RETRIES)));

  static TestHttp.Res stream(String model) {
    return e2e.gw().http.post("/v1/messages", """
        {"model": "%s", "max_tokens": 100, "stream": true, "messages": [{"role": "user", "content": "Hi"}]}"""
        .formatted(model), "anthropic-version", "2023-06-01");
  }

  static List<SseEvents.Event> events(TestHttp.Res r) {
    List<SseEvents.Event> events = SseEvents.parse(r.body());
    for (SseEvents.Event event : events) {
      assertThat(event.name()).as("every event is named").isNotNull();
      assertThat(event.json().get("type").asText()).as("named by its type").isEqualTo(event.name());
    }
    return events;
  }

  @Test
  void relaysAnAnthropicStreamAsAnthropicEvents() {
    e2e.up().script("POST /v1/messages",
        LlmBehaviors.sse(LlmBehaviors.anthropicStreamEvents("claude-haiku-4-5", List.of("Bon", "jour"), 25, 15), 1));
    var r = stream("claude/claude-haiku-4-5");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("text/event-stream");
    assertThat(r.header("X-ReliAPI-Target")).isEqualTo("claude");
    assertThat(r.header("X-ReliAPI-Cost-USD")).as("known only at the end").isNull();
    assertThat(r.header("request-id")).startsWith("req_");
    List<SseEvents.Event> events = events(r);
    assertThat(SseEvents.names(events)).containsExactly("message_start", "ping", "content_block_start",
        "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop");
    JsonNode start = events.get(0).json().get("message");
    assertThat(start.get("id").asText()).isEqualTo("msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY");
    assertThat(start.get("usage").get("input_tokens").asInt()).isEqualTo(25);
    assertThat(start.get("content")).isEmpty();
    assertThat(events.get(2).json().get("content_block").get("type").asText()).isEqualTo("text");
    assertThat(events.get(3).json().get("delta").get("text").asText()).isEqualTo("Bon");
    assertThat(events.get(4).json().get("delta").get("text").asText()).isEqualTo("jour");
    JsonNode delta = events.get(6).json();
    assertThat(delta.get("delta").get("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(delta.get("usage").get("output_tokens").asInt()).isEqualTo(15);
    assertThat(delta.get("usage").get("input_tokens").asInt()).isEqualTo(25);

    JsonNode sent = Json.parseOrNull(e2e.up().last().body().getBytes());
    assertThat(sent.get("stream").asBoolean()).isTrue();
    assertThat(e2e.up().last().header("Accept")).isEqualTo("text/event-stream");
  }

  @Test
  void keepsTheStopReasonOfTheFirstMessageDeltaWhenALaterOneStatesNone() {
    List<String> provider = new ArrayList<>();
    for (String event : LlmBehaviors.anthropicStreamEvents("claude-haiku-4-5", List.of("Bon", "jour"), 25, 15)) {
      provider.add(event.replace("\"stop_reason\":\"end_turn\"", "\"stop_reason\":\"max_tokens\""));
    }
    provider.add(provider.size() - 1, "event: message_delta\ndata: {\"type\":\"message_delta\","
        + "\"delta\":{\"stop_reason\":null,\"stop_sequence\":null},\"usage\":{\"output_tokens\":16}}\n\n");
    e2e.up().script("POST /v1/messages", LlmBehaviors.sse(provider, 1));
    List<SseEvents.Event> events = events(stream("claude/claude-haiku-4-5"));

    assertThat(SseEvents.names(events)).as("a whole answer, not a cut").endsWith("message_delta", "message_stop");
    JsonNode delta = events.get(events.size() - 2).json();
    assertThat(delta.get("delta").get("stop_reason").asText()).isEqualTo("max_tokens");
    assertThat(delta.get("usage").get("output_tokens").asInt()).isEqualTo(16);
  }

  @Test
  void relaysThinkingWithItsSignatureBeforeTheText() {
    String head = "event: content_block_%s\ndata: {\"type\":\"content_block_%s\",\"index\":%d,";
    String stop = "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":%d}\n\n";
    e2e.up().script("POST /v1/messages", LlmBehaviors.sse(List.of(
        LlmBehaviors.anthropicStreamEvents("claude-sonnet-4-5", List.of(), 20, 1).get(0),
        head.formatted("start", "start", 0) + "\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}\n\n",
        head.formatted("delta", "delta", 0) + "\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Hmm.\"}}\n\n",
        head.formatted("delta", "delta", 0) + "\"delta\":{\"type\":\"signature_delta\",\"signature\":\"sig1\"}}\n\n",
        stop.formatted(0),
        head.formatted("start", "start", 1) + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
        head.formatted("delta", "delta", 1) + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Yes.\"}}\n\n",
        stop.formatted(1),
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
            + "\"usage\":{\"output_tokens\":9}}\n\n",
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"), 1));
    var r = stream("claude/claude-sonnet-4-5");

    List<SseEvents.Event> events = events(r);
    assertThat(SseEvents.names(events)).containsExactly("message_start", "ping", "content_block_start",
        "content_block_delta", "content_block_delta", "content_block_stop", "content_block_start",
        "content_block_delta", "content_block_stop", "message_delta", "message_stop");
    assertThat(events.get(2).json().get("content_block").get("type").asText()).isEqualTo("thinking");
    assertThat(events.get(3).json().get("delta").get("thinking").asText()).isEqualTo("Hmm.");
    assertThat(events.get(4).json().get("delta").get("signature").asText()).isEqualTo("sig1");
    assertThat(events.get(6).json().get("index").asInt()).isEqualTo(1);
    assertThat(events.get(7).json().get("delta").get("text").asText()).isEqualTo("Yes.");
  }

  @Test
  void turnsAnOpenAiToolCallStreamIntoToolUseBlocksAndInputJsonDeltas() {
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.sse(LlmBehaviors.openAiToolCallStreamEvents("gpt-4o-mini",
        "call_7", "get_weather", List.of("{\\\"ci", "ty\\\": \\\"Paris\\\"}"), 40, 12), 1));
    var r = stream("openai/gpt-4o-mini");

    List<SseEvents.Event> events = events(r);
    assertThat(SseEvents.names(events)).containsExactly("message_start", "ping", "content_block_start",
        "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop");
    JsonNode block = events.get(2).json().get("content_block");
    assertThat(block.get("type").asText()).isEqualTo("tool_use");
    assertThat(block.get("id").asText()).isEqualTo("call_7");
    assertThat(block.get("name").asText()).isEqualTo("get_weather");
    assertThat(block.get("input")).isEmpty();
    String json = events.get(3).json().get("delta").get("partial_json").asText()
        + events.get(4).json().get("delta").get("partial_json").asText();
    assertThat(events.get(3).json().get("delta").get("type").asText()).isEqualTo("input_json_delta");
    assertThat(Json.parseOrNull(json.getBytes()).get("city").asText()).isEqualTo("Paris");
    JsonNode delta = events.get(6).json();
    assertThat(delta.get("delta").get("stop_reason").asText()).isEqualTo("tool_use");
    assertThat(delta.get("usage").get("input_tokens").asInt()).isEqualTo(40);
    assertThat(delta.get("usage").get("output_tokens").asInt()).isEqualTo(12);
    JsonNode sent = Json.parseOrNull(e2e.up().last().body().getBytes());
    assertThat(sent.get("stream_options").get("include_usage").asBoolean()).isTrue();
  }

  @Test
  void turnsAnOpenAiTextStreamIntoOneTextBlock() {
    e2e.up().script("POST /v1/chat/completions",
        LlmBehaviors.sse(LlmBehaviors.openAiStreamEvents("gpt-4o-mini", List.of("Hel", "lo"), 9, 2), 1));
    var r = stream("openai/gpt-4o-mini");

    List<SseEvents.Event> events = events(r);
    assertThat(SseEvents.names(events)).containsExactly("message_start", "ping", "content_block_start",
        "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop");
    assertThat(events.get(0).json().get("message").get("id").asText()).isEqualTo("chatcmpl-stream1");
    assertThat(events.get(0).json().get("message").get("model").asText()).isEqualTo("gpt-4o-mini");
  }

  @Test
  void endsABrokenStreamWithAnErrorEventAndNoMessageStop() {
    e2e.up().script("POST /v1/messages", LlmBehaviors.sseThenReset(
        LlmBehaviors.anthropicStreamEvents("claude-haiku-4-5", List.of("Bon", "jour"), 25, 15).subList(0, 4), 1));
    var r = stream("claude/claude-haiku-4-5");

    List<SseEvents.Event> events = events(r);
    assertThat(SseEvents.names(events)).startsWith("message_start").endsWith("error")
        .doesNotContain("message_stop", "message_delta");
    JsonNode error = events.getLast().json();
    assertThat(error.get("error").get("type").asText()).isEqualTo("api_error");
    assertThat(error.get("error").get("message").asText()).startsWith("NETWORK_ERROR: ");
  }

  @Test
  void answersAnErrorAsTheFirstEventAsAnErrorResponse() {
    e2e.up().script("POST /v1/messages", LlmBehaviors.sse(List.of(
        "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"),
        1));
    var r = stream("claude/claude-haiku-4-5");

    assertThat(r.status()).isEqualTo(529);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    assertThat(r.json().get("error").get("type").asText()).isEqualTo("overloaded_error");
  }
}
