package io.reliapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.testing.GatewayExtension;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.StreamRoute;
import io.reliapi.testing.StreamRoute.Streamed;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An OpenAI-protocol server that splits a tool's name across deltas ({@code "get_"}, then {@code "weather"} with
 * the arguments): the translated routes announce the call once, under its whole name; the OpenAI route passes the
 * pieces on as sent; the answer kept for a repeat of its key names the tool whole.
 */
class SplitToolNameEndToEndTest {
  static final String HEAD = "{\"id\":\"chatcmpl-split\",\"object\":\"chat.completion.chunk\",\"created\":1,"
      + "\"model\":\"gpt-4o-mini\",";
  static int keys;

  @RegisterExtension
  static final GatewayExtension e2e = GatewayExtension.gateway(up -> GatewayHarness.yaml("""
      targets:
        gpt:
          base_url: "%s/v1"
          llm: {provider: openai, default_model: gpt-4o-mini}
      """.formatted(up.baseUrl())));

  /** The call's name in two pieces, the second with the arguments; then a finish, usage and [DONE]. */
  static List<String> splitName() {
    List<String> events = new ArrayList<>();
    events.add(chunk("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_1\","
        + "\"type\":\"function\",\"function\":{\"name\":\"get_\",\"arguments\":\"\"}}]}", "null"));
    events.add(chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"name\":\"weather\","
        + "\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]}", "null"));
    events.add(chunk("{}", "\"tool_calls\""));
    events.add("data: " + HEAD + "\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":5,"
        + "\"total_tokens\":14}}\n\n");
    events.add("data: [DONE]\n\n");
    return events;
  }

  static String chunk(String delta, String finish) {
    return "data: " + HEAD + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finish
        + "}]}\n\n";
  }

  private static Streamed call(StreamRoute route, String key) {
    e2e.up().script("POST /v1/chat/completions", LlmBehaviors.sse(splitName(), 1));
    return route.call(e2e.gw(), "gpt", "Idempotency-Key", key);
  }

  @Test
  void messagesStartsTheToolBlockOnceUnderTheWholeName() {
    Streamed answer = call(StreamRoute.ANTHROPIC, "messages-" + keys++);

    assertThat(answer.whole()).as(answer.body()).isTrue();
    List<JsonNode> starts = answer.events().stream().filter(e -> "content_block_start".equals(e.name()))
        .map(e -> e.json().get("content_block")).toList();
    assertThat(starts).hasSize(1);
    assertThat(starts.getFirst().get("type").asText()).isEqualTo("tool_use");
    assertThat(starts.getFirst().get("name").asText()).isEqualTo("get_weather");
    assertThat(starts.getFirst().get("id").asText()).isEqualTo("call_1");
    assertThat(inputJson(answer)).isEqualTo("{\"city\":\"Paris\"}");
  }

  @Test
  void responsesAnnouncesTheCallItemOnceUnderTheWholeName() {
    Streamed answer = call(StreamRoute.RESPONSES, "responses-" + keys++);

    assertThat(answer.whole()).as(answer.body()).isTrue();
    List<JsonNode> added = answer.events().stream().filter(e -> "response.output_item.added".equals(e.name()))
        .map(e -> e.json().get("item")).toList();
    assertThat(added).hasSize(1);
    assertThat(added.getFirst().get("type").asText()).isEqualTo("function_call");
    assertThat(added.getFirst().get("name").asText()).isEqualTo("get_weather");
    assertThat(added.getFirst().get("call_id").asText()).isEqualTo("call_1");
    JsonNode argumentsDone = answer.events().stream()
        .filter(e -> "response.function_call_arguments.done".equals(e.name())).findFirst().orElseThrow().json();
    assertThat(argumentsDone.get("name").asText()).isEqualTo("get_weather");
    JsonNode completed = answer.events().stream().filter(e -> "response.completed".equals(e.name())).findFirst()
        .orElseThrow().json().get("response").get("output");
    assertThat(completed).hasSize(1);
    assertThat(completed.get(0).get("name").asText()).isEqualTo("get_weather");
  }

  @Test
  void chatCompletionsPassesThePiecesOnAsSentAndKeepsTheWholeNameForARepeat() {
    String key = "chat-" + keys++;
    Streamed answer = call(StreamRoute.V1, key);

    assertThat(answer.whole()).as(answer.body()).isTrue();
    assertThat(names(answer)).containsExactly("get_", "weather");

    Streamed repeat = StreamRoute.V1.call(e2e.gw(), "gpt", "Idempotency-Key", key);
    assertThat(repeat.whole()).as(repeat.body()).isTrue();
    assertThat(names(repeat)).containsExactly("get_weather");
    assertThat(e2e.up().count("/v1/chat/completions")).isEqualTo(1);
  }

  @Test
  void aRepeatOnMessagesReplaysTheKeptAnswerUnderTheWholeName() {
    String key = "messages-repeat-" + keys++;
    call(StreamRoute.ANTHROPIC, key);

    Streamed repeat = StreamRoute.ANTHROPIC.call(e2e.gw(), "gpt", "Idempotency-Key", key);
    assertThat(repeat.whole()).as(repeat.body()).isTrue();
    assertThat(repeat.events().stream().filter(e -> "content_block_start".equals(e.name()))
        .map(e -> e.json().get("content_block").get("name").asText()).toList()).containsExactly("get_weather");
  }

  private static List<String> names(Streamed answer) {
    List<String> names = new ArrayList<>();
    for (var event : answer.events()) {
      if (event.data().equals("[DONE]")) {
        continue;
      }
      for (JsonNode choice : event.json().path("choices")) {
        for (JsonNode call : choice.path("delta").path("tool_calls")) {
          if (call.path("function").path("name").isTextual()) {
            names.add(call.get("function").get("name").asText());
          }
        }
      }
    }
    return names;
  }

  private static String inputJson(Streamed answer) {
    StringBuilder input = new StringBuilder();
    answer.events().stream().filter(e -> "content_block_delta".equals(e.name()))
        .map(e -> e.json().get("delta")).filter(d -> d.path("type").asText().equals("input_json_delta"))
        .forEach(d -> input.append(d.get("partial_json").asText()));
    return input.toString();
  }
}
