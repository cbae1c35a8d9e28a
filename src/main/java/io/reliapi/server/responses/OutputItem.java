package io.reliapi.server.responses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.FreeformCall;
import java.util.ArrayList;
import java.util.List;

/**
 * One output item of an answer: the message (its content parts), a function or custom tool call (its arguments), or
 * an item the provider gave whole in the Responses API's own form (reasoning, a hosted tool's call), kept as it came.
 */
final class OutputItem {
  private enum Kind { MESSAGE, CALL, CUSTOM_CALL, GIVEN }

  final int outputIndex;
  final String id;
  final StringBuilder text = new StringBuilder();
  final List<MessageContent> parts = new ArrayList<>();
  String callId;
  String name;
  /** Whether a call's name was told when its item was announced (a later piece of it is then dropped). */
  boolean namedWhenAnnounced;
  /** The item as it was told done before the answer ended (given whole, or a message an item given whole followed). */
  ObjectNode done;
  private final Kind kind;
  private final ObjectNode given;

  private OutputItem(int outputIndex, String id, Kind kind, ObjectNode given) {
    this.outputIndex = outputIndex;
    this.id = id;
    this.kind = kind;
    this.given = given;
  }

  static OutputItem message(int outputIndex, String id) {
    return new OutputItem(outputIndex, id, Kind.MESSAGE, null);
  }

  /**
   * A call, a custom tool's or not, decided when its item is announced: a name that comes later (some servers send it
   * after the id) cannot turn an announced {@code function_call} into a {@code custom_tool_call}.
   */
  static OutputItem call(int outputIndex, String id, String callId, String name, boolean custom) {
    OutputItem call = new OutputItem(outputIndex, id, custom ? Kind.CUSTOM_CALL : Kind.CALL, null);
    call.callId = callId;
    call.name = name;
    call.namedWhenAnnounced = name != null;
    return call;
  }

  static OutputItem given(int outputIndex, ObjectNode item) {
    return new OutputItem(outputIndex, item.path("id").asText(""), Kind.GIVEN, item);
  }

  boolean custom() {
    return kind == Kind.CUSTOM_CALL;
  }

  ObjectNode at() {
    return ChatJson.object().put("item_id", id).put("output_index", outputIndex);
  }

  ObjectNode json(String status) {
    ObjectNode json = ChatJson.object().put("id", id);
    switch (kind) {
      case GIVEN -> {
        return given;
      }
      case MESSAGE -> {
        json.put("type", "message").put("status", status).put("role", "assistant");
        ArrayNode content = json.putArray("content");
        if (!status.equals("in_progress")) {
          parts.forEach(part -> content.add(part.json()));
        }
        return json;
      }
      case CUSTOM_CALL -> {
        String input = status.equals("in_progress") ? "" : FreeformCall.input(text.toString());
        return json.put("type", "custom_tool_call").put("status", status).put("call_id", callId).put("input", input)
            .put("name", name);
      }
      default -> {
        return json.put("type", "function_call").put("status", status).put("arguments", text.toString())
            .put("call_id", callId).put("name", name);
      }
    }
  }
}
