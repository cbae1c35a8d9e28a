package io.reliapi.server.responses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.llm.ChatChunk;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.FreeformCall;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The output items of one answer, built from its neutral parts as they arrive, with the stream events that
 * announce them: the assistant's text becomes one {@code message} item with an {@code output_text} part (and a
 * {@code refusal} part for a refusal, in the order they first appear), each tool call a {@code function_call} item,
 * numbered in the order they first appear, or a {@code custom_tool_call} item when it calls one of the request's
 * custom tools (its text read from the {@link FreeformCall} arguments, announced whole when it closes). Items stay
 * open until the
 * answer ends (so argument fragments of calls the provider interleaves still find their item), then close in
 * order. Reasoning is not rendered. The same items serve a live stream, a replayed one and a whole answer
 * (whose events nobody reads).
 */
final class OutputItems {

  /** Where the events go: the event's type and its fields after {@code type} and {@code sequence_number}. */
  @FunctionalInterface
  interface Events {
    void emit(String type, ObjectNode fields);
  }

  private static final String OUTPUT_TEXT = "output_text";
  private static final String REFUSAL = "refusal";

  private final String base;
  private final Set<String> customTools;
  private final Events events;
  private final List<Item> items = new ArrayList<>();
  private final Map<Integer, Item> calls = new HashMap<>();
  private Item message;

  /** Items of the response {@code responseId}; their ids are made from it. */
  OutputItems(String responseId, Set<String> customTools, Events events) {
    this.base = responseId.startsWith("resp_") ? responseId.substring(5) : responseId;
    this.customTools = customTools;
    this.events = events;
  }

  void add(ChatChunk.Part part) {
    switch (part) {
      case ChatChunk.Text text -> text(text.text());
      case ChatChunk.Refusal refusal -> refusal(refusal.text());
      case ChatChunk.ToolCall call -> call(call.index(), call.id(), call.name());
      case ChatChunk.ToolArgs args -> arguments(args.index(), args.fragment());
      case ChatChunk.Start start -> { }
      case ChatChunk.Reasoning reasoning -> { }
      case ChatChunk.Finish finish -> { }
    }
  }

  private void text(String text) {
    if (text.isEmpty()) {
      return;
    }
    Content part = content(OUTPUT_TEXT);
    part.text.append(text);
    events.emit("response.output_text.delta", part(part).put("delta", text).set("logprobs", ChatJson.array()));
  }

  private void refusal(String text) {
    if (text.isEmpty()) {
      return;
    }
    Content part = content(REFUSAL);
    part.text.append(text);
    events.emit("response.refusal.delta", part(part).put("delta", text));
  }

  /** Returns the message's content part of {@code type}, opening the message and the part where they are not. */
  private Content content(String type) {
    if (message == null) {
      message = new Item(items.size(), "msg_" + base, null, null, false);
      items.add(message);
      events.emit("response.output_item.added", added(message));
    }
    for (Content part : message.parts) {
      if (part.type.equals(type)) {
        return part;
      }
    }
    Content part = new Content(type, message.parts.size());
    message.parts.add(part);
    ObjectNode added = part(part);
    added.set("part", part.json());
    events.emit("response.content_part.added", added);
    return part;
  }

  private void call(int index, String callId, String name) {
    Item call = calls.get(index);
    if (call == null) {
      boolean custom = name != null && customTools.contains(name);
      call = new Item(items.size(), (custom ? "ctc_" : "fc_") + base + "_" + index, callId, name, custom);
      calls.put(index, call);
      items.add(call);
      events.emit("response.output_item.added", added(call));
      return;
    }
    call.callId = callId != null ? callId : call.callId;
    call.name = name != null ? name : call.name;
  }

  private void arguments(int index, String fragment) {
    if (!calls.containsKey(index)) {
      call(index, null, null);
    }
    if (fragment.isEmpty()) {
      return;
    }
    Item call = calls.get(index);
    call.text.append(fragment);
    if (call.custom()) {
      return; // the arguments wrap the text: it is told whole when the item closes
    }
    events.emit("response.function_call_arguments.delta", call.at().put("delta", fragment));
  }

  /**
   * Closes every item, {@code completed} or, for an answer cut short, {@code incomplete}, and returns them as the
   * response's {@code output}. An answer with neither text nor tool calls still has its (empty) message.
   */
  ArrayNode close(boolean complete) {
    if (items.isEmpty()) {
      content(OUTPUT_TEXT);
    }
    String status = complete ? "completed" : "incomplete";
    ArrayNode output = ChatJson.array();
    for (Item item : items) {
      if (item == message) {
        for (Content part : item.parts) {
          if (part.type.equals(REFUSAL)) {
            events.emit("response.refusal.done", part(part).put("refusal", part.text.toString()));
          } else {
            events.emit("response.output_text.done", part(part).put("text", part.text.toString())
                .set("logprobs", ChatJson.array()));
          }
          ObjectNode done = part(part);
          done.set("part", part.json());
          events.emit("response.content_part.done", done);
        }
      } else if (item.custom()) {
        String input = FreeformCall.input(item.text.toString());
        events.emit("response.custom_tool_call_input.delta", item.at().put("delta", input));
        events.emit("response.custom_tool_call_input.done", item.at().put("input", input));
      } else {
        events.emit("response.function_call_arguments.done", item.at().put("name", item.name)
            .put("arguments", item.text.toString()));
      }
      ObjectNode json = item.json(status);
      events.emit("response.output_item.done", ChatJson.object().put("output_index", item.outputIndex).set("item", json));
      output.add(json);
    }
    return output;
  }

  /** Returns the items as they stand, each {@code incomplete}, for an answer that broke off; no events. */
  ArrayNode partial() {
    ArrayNode output = ChatJson.array();
    items.forEach(item -> output.add(item.json("incomplete")));
    return output;
  }

  private ObjectNode added(Item item) {
    return ChatJson.object().put("output_index", item.outputIndex).set("item", item.json("in_progress"));
  }

  private ObjectNode part(Content part) {
    return ChatJson.object().put("item_id", message.id).put("output_index", message.outputIndex)
        .put("content_index", part.index);
  }

  /** One content part of the message: its text or its refusal. */
  private record Content(String type, int index, StringBuilder text) {
    Content(String type, int index) {
      this(type, index, new StringBuilder());
    }

    ObjectNode json() {
      if (type.equals(REFUSAL)) {
        return ChatJson.object().put("type", REFUSAL).put("refusal", text.toString());
      }
      ObjectNode part = ChatJson.object().put("type", OUTPUT_TEXT);
      part.putArray("annotations");
      part.putArray("logprobs");
      return part.put("text", text.toString());
    }
  }

  /** One output item: a message (its content parts) or a function call (its arguments). */
  private final class Item {
    private final int outputIndex;
    private final String id;
    private final StringBuilder text = new StringBuilder();
    private final List<Content> parts = new ArrayList<>();
    private String callId;
    private String name;
    /**
     * Whether the call is a custom tool's, decided when its item is announced: a name that comes later (some servers
     * send it after the id) cannot turn an announced {@code function_call} into a {@code custom_tool_call}.
     */
    private final boolean custom;

    Item(int outputIndex, String id, String callId, String name, boolean custom) {
      this.outputIndex = outputIndex;
      this.id = id;
      this.callId = callId;
      this.name = name;
      this.custom = custom;
    }

    boolean custom() {
      return custom;
    }

    ObjectNode at() {
      return ChatJson.object().put("item_id", id).put("output_index", outputIndex);
    }

    ObjectNode json(String status) {
      ObjectNode json = ChatJson.object().put("id", id);
      if (this == message) {
        json.put("type", "message").put("status", status).put("role", "assistant");
        ArrayNode content = json.putArray("content");
        if (!status.equals("in_progress")) {
          parts.forEach(part -> content.add(part.json()));
        }
        return json;
      }
      if (custom()) {
        String input = status.equals("in_progress") ? "" : FreeformCall.input(text.toString());
        return json.put("type", "custom_tool_call").put("status", status).put("call_id", callId).put("input", input)
            .put("name", name);
      }
      return json.put("type", "function_call").put("status", status).put("arguments", text.toString())
          .put("call_id", callId).put("name", name);
    }
  }
}
