package io.reliapi.server.responses;

import static io.reliapi.llm.ChatFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.llm.ChatChunk;
import io.reliapi.llm.WireProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The output items of an answer and the events that announce them, from neutral parts. */
class OutputItemsTest {
  final List<String> types = new ArrayList<>();
  final List<ObjectNode> events = new ArrayList<>();
  final OutputItems items = new OutputItems("resp_abc", Set.of("apply_patch"), (type, fields) -> {
    types.add(type);
    events.add(fields);
  });

  @Test
  void announcesTextAndCallsAsTheyComeAndClosesThemInOrder() {
    List.of(new ChatChunk.Start(), new ChatChunk.Text("Let me "), new ChatChunk.Text("check."),
        new ChatChunk.ToolCall(0, "call_1", "f"), new ChatChunk.ToolArgs(0, "{\"a\":"), new ChatChunk.ToolArgs(0, "1}"),
        new ChatChunk.Reasoning("hidden"), new ChatChunk.Finish("tool_calls")).forEach(items::add);
    ArrayNode output = items.close(true);

    assertThat(types).containsExactly("response.output_item.added", "response.content_part.added",
        "response.output_text.delta", "response.output_text.delta", "response.output_item.added",
        "response.function_call_arguments.delta", "response.function_call_arguments.delta",
        "response.output_text.done", "response.content_part.done", "response.output_item.done",
        "response.function_call_arguments.done", "response.output_item.done");
    assertThat(events.get(2)).isEqualTo(json("{\"item_id\": \"msg_abc\", \"output_index\": 0, \"content_index\": 0, "
        + "\"delta\": \"Let me \", \"logprobs\": []}"));
    assertThat(events.get(4).get("item")).isEqualTo(json("{\"id\": \"fc_abc_0\", \"type\": \"function_call\", "
        + "\"status\": \"in_progress\", \"arguments\": \"\", \"call_id\": \"call_1\", \"name\": \"f\"}"));
    assertThat(events.get(10)).isEqualTo(json("{\"item_id\": \"fc_abc_0\", \"output_index\": 1, \"name\": \"f\", "
        + "\"arguments\": \"{\\\"a\\\":1}\"}"));
    assertThat(output).isEqualTo(json("""
        [{"id": "msg_abc", "type": "message", "status": "completed", "role": "assistant",
          "content": [{"type": "output_text", "annotations": [], "logprobs": [], "text": "Let me check."}]},
         {"id": "fc_abc_0", "type": "function_call", "status": "completed", "arguments": "{\\"a\\":1}",
          "call_id": "call_1", "name": "f"}]"""));
  }

  @Test
  void keepsInterleavedArgumentsWithTheirOwnCall() {
    List.of(new ChatChunk.ToolCall(0, "a", "f"), new ChatChunk.ToolCall(1, "b", "g"), new ChatChunk.ToolArgs(1, "{}"),
        new ChatChunk.ToolArgs(0, "[]")).forEach(items::add);
    ArrayNode output = items.close(true);

    assertThat(output.get(0).get("arguments").asText()).isEqualTo("[]");
    assertThat(output.get(1).get("arguments").asText()).isEqualTo("{}");
    assertThat(events.get(3).get("output_index").asInt()).isZero();
  }

  @Test
  void aCallKeepsTheTypeItWasAnnouncedWithWhenItsNameComesAfterItsArguments() {
    List.of(new ChatChunk.ToolCall(0, "call_1", null), new ChatChunk.ToolArgs(0, "{\"input\":"),
        new ChatChunk.ToolCall(0, null, "apply_patch"), new ChatChunk.ToolArgs(0, "\"x\"}")).forEach(items::add);
    ArrayNode output = items.close(true);

    assertThat(events.get(0).get("item").get("type").asText()).isEqualTo("function_call");
    assertThat(output.get(0).get("id").asText()).isEqualTo("fc_abc_0");
    assertThat(output.get(0).get("type").asText()).as("announced as a function call, it was closed as a custom one")
        .isEqualTo("function_call");
    assertThat(output.get(0).get("name").asText()).isEqualTo("apply_patch");
  }

  @Test
  void announcesACallOnceItsNameIsWholeItsPiecesJoined() {
    List.of(new ChatChunk.ToolCall(0, "call_1", null), new ChatChunk.ToolCall(0, null, "apply_"),
        new ChatChunk.ToolCall(0, null, "patch"), new ChatChunk.ToolArgs(0, "{\"input\":\"x\"}"),
        new ChatChunk.ToolCall(1, "call_2", "get_"), new ChatChunk.ToolCall(1, null, "weather"),
        new ChatChunk.Finish("tool_calls")).forEach(items::add);
    ArrayNode output = items.close(true);

    List<ObjectNode> added = new ArrayList<>();
    for (int i = 0; i < types.size(); i++) {
      if (types.get(i).equals("response.output_item.added")) {
        added.add(events.get(i));
      }
    }
    assertThat(added).hasSize(2);
    assertThat(added.get(0).get("item").get("type").asText()).isEqualTo("custom_tool_call");
    assertThat(added.get(0).get("item").get("name").asText()).isEqualTo("apply_patch");
    assertThat(added.get(1).get("item").get("name").asText()).isEqualTo("get_weather");
    assertThat(output.get(1).get("call_id").asText()).isEqualTo("call_2");
  }

  @Test
  void aPieceOfANameAfterTheCallWasAnnouncedNamedIsDroppedAsOnMessages() {
    List.of(new ChatChunk.ToolCall(0, "call_1", "get_"), new ChatChunk.ToolArgs(0, "{}"),
        new ChatChunk.ToolCall(0, null, "weather"), new ChatChunk.Finish("tool_calls")).forEach(items::add);
    ArrayNode output = items.close(true);

    assertThat(events.get(0).get("item").get("name").asText()).isEqualTo("get_");
    int done = types.indexOf("response.function_call_arguments.done");
    assertThat(events.get(done).get("name").asText()).as("the done event says what the added one did")
        .isEqualTo("get_");
    assertThat(output.get(0).get("name").asText()).isEqualTo("get_");
  }

  @Test
  void anAnswerWithoutTextOrCallsStillHasItsMessageAndACutOneIsIncomplete() {
    ArrayNode output = items.close(false);
    assertThat(output).hasSize(1);
    assertThat(output.get(0).get("status").asText()).isEqualTo("incomplete");
    assertThat(output.get(0).get("content").get(0).get("text").asText()).isEmpty();
  }

  @Test
  void givesTheItemsOfAnAnswerThatBrokeOffWithoutClosingThem() {
    items.add(new ChatChunk.Text("Hal"));
    int announced = types.size();
    ArrayNode partial = items.partial();

    assertThat(partial.get(0).get("status").asText()).isEqualTo("incomplete");
    assertThat(partial.get(0).get("content").get(0).get("text").asText()).isEqualTo("Hal");
    assertThat(types).hasSize(announced);
  }

  @Test
  void givesItsOwnProtocolsItemsWholeInTheirPlaces() {
    String reasoning = "{\"id\":\"rs_1\",\"type\":\"reasoning\",\"summary\":[],\"encrypted_content\":\"gAAA\"}";
    List.of(new ChatChunk.Start(), new ChatChunk.ProtocolItem(WireProtocol.OPENAI_RESPONSES, reasoning, ""),
        new ChatChunk.Text("Done."), new ChatChunk.Finish("stop")).forEach(items::add);
    ArrayNode output = items.close(true);

    assertThat(types.subList(0, 2)).containsExactly("response.output_item.added", "response.output_item.done");
    assertThat(events.get(1)).isEqualTo(json("{\"output_index\": 0, \"item\": " + reasoning + "}"));
    assertThat(output).hasSize(2);
    assertThat(output.get(0)).isEqualTo(json(reasoning));
    assertThat(output.get(1).get("content").get(0).get("text").asText()).isEqualTo("Done.");
  }

  @Test
  void textAfterAnItemGivenWholeIsAMessageOfItsOwnAfterIt() {
    String search = "{\"id\":\"ws_1\",\"type\":\"web_search_call\",\"status\":\"completed\"}";
    List.of(new ChatChunk.Start(), new ChatChunk.Text("Searching."),
        new ChatChunk.ProtocolItem(WireProtocol.OPENAI_RESPONSES, search, ""), new ChatChunk.Text("Found it."),
        new ChatChunk.Finish("stop")).forEach(items::add);
    ArrayNode output = items.close(true);

    assertThat(types).containsExactly("response.output_item.added", "response.content_part.added",
        "response.output_text.delta", "response.output_text.done", "response.content_part.done",
        "response.output_item.done", "response.output_item.added", "response.output_item.done",
        "response.output_item.added", "response.content_part.added", "response.output_text.delta",
        "response.output_text.done", "response.content_part.done", "response.output_item.done");
    assertThat(events.get(5).get("item").get("status").asText()).isEqualTo("completed");
    assertThat(events.get(10).get("item_id").asText()).isEqualTo("msg_abc_2");
    assertThat(output).isEqualTo(json("""
        [{"id": "msg_abc", "type": "message", "status": "completed", "role": "assistant",
          "content": [{"type": "output_text", "annotations": [], "logprobs": [], "text": "Searching."}]},
         %s,
         {"id": "msg_abc_2", "type": "message", "status": "completed", "role": "assistant",
          "content": [{"type": "output_text", "annotations": [], "logprobs": [], "text": "Found it."}]}]"""
        .formatted(search)));
  }
}
