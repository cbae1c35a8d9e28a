package io.reliapi.llm.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.llm.ChatChunk;
import io.reliapi.llm.FreeformCall;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The function and custom tool calls of one Responses stream ({@link ResponsesStreamDecoder}), by their item's
 * {@code output_index}: numbered in the order their items appear, their arguments (a custom call's input, as
 * {@link FreeformCall} arguments) added as they stream, and closed when their item is done or the stream ends.
 * What they add to the billed output goes to {@code billed}.
 */
final class ResponsesCalls {
  private final Map<Integer, Call> calls = new HashMap<>();
  private final StringBuilder billed;

  ResponsesCalls(StringBuilder billed) {
    this.billed = billed;
  }

  boolean isEmpty() {
    return calls.isEmpty();
  }

  /** Returns whether an item is a call ({@code function_call}, {@code custom_tool_call}). */
  static boolean call(JsonNode item) {
    String type = item.path("type").asText("");
    return type.equals("function_call") || type.equals("custom_tool_call");
  }

  /** A call's item is added: the call begins, with any arguments it already carries. */
  void added(JsonNode root, List<ChatChunk.Part> parts) {
    JsonNode item = root.path("item");
    boolean custom = item.path("type").asText("").equals("custom_tool_call");
    Call call = new Call(calls.size(), custom);
    calls.put(root.path("output_index").asInt(), call);
    String name = item.path("name").asText(null);
    billed.append(name == null ? "" : name);
    parts.add(new ChatChunk.ToolCall(call.index, item.path("call_id").asText(null), name));
    if (custom) {
      parts.add(new ChatChunk.ToolArgs(call.index, FreeformCall.opening()));
    }
    arguments(call, item.path(custom ? "input" : "arguments").asText(""), parts);
  }

  /** A fragment of the arguments (or custom input) of the call an event names; a call never begun is malformed. */
  boolean delta(JsonNode root, List<ChatChunk.Part> parts) {
    Call call = calls.get(root.path("output_index").asInt(-1));
    if (call == null) {
      return false;
    }
    arguments(call, root.path("delta").asText(""), parts);
    return true;
  }

  /**
   * A finished item: if it is a call's, any arguments (or custom input) it carries beyond those streamed are added,
   * and a custom call's arguments closed.
   */
  void done(JsonNode root, List<ChatChunk.Part> parts) {
    Call call = calls.get(root.path("output_index").asInt(-1));
    if (call == null) {
      return;
    }
    String arguments = root.path("item").path(call.custom ? "input" : "arguments").asText("");
    if (arguments.length() > call.arguments.length() && arguments.startsWith(call.arguments.toString())) {
      arguments(call, arguments.substring(call.arguments.length()), parts);
    }
    close(call, parts);
  }

  /** The stream ends: every custom call still open is closed, in order. */
  void closeAll(List<ChatChunk.Part> parts) {
    calls.values().stream().sorted(Comparator.comparingInt(call -> call.index)).forEach(call -> close(call, parts));
  }

  private void close(Call call, List<ChatChunk.Part> parts) {
    if (call.custom && !call.closed) {
      call.closed = true;
      parts.add(new ChatChunk.ToolArgs(call.index, FreeformCall.closing()));
    }
  }

  private void arguments(Call call, String fragment, List<ChatChunk.Part> parts) {
    if (!fragment.isEmpty() && !call.closed) {
      call.arguments.append(fragment);
      billed.append(fragment);
      parts.add(new ChatChunk.ToolArgs(call.index, call.custom ? FreeformCall.fragment(fragment) : fragment));
    }
  }

  /**
   * One call: its position among the answer's calls, whether it is a custom tool's, and the arguments (a custom
   * call's input) streamed so far.
   */
  private static final class Call {
    private final int index;
    private final boolean custom;
    private final StringBuilder arguments = new StringBuilder();
    private boolean closed;

    Call(int index, boolean custom) {
      this.index = index;
      this.custom = custom;
    }
  }
}
