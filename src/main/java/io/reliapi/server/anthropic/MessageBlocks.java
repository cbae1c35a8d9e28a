package io.reliapi.server.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.http.Json;
import io.reliapi.llm.ChatChunk;
import io.reliapi.llm.ChatJson;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The content blocks of one streamed message, numbered as they open, and the events that write them:
 * {@code content_block_start}, its deltas ({@code text_delta}, {@code thinking_delta}, {@code signature_delta},
 * {@code input_json_delta}) and {@code content_block_stop}. Anthropic's blocks come one after another: one is
 * open at a time, and a block never gets a delta after its stop.
 */
final class MessageBlocks {
  private enum Block { NONE, TEXT, THINKING, SIGNED_THINKING, TOOL }

  private final BiConsumer<String, ObjectNode> events;
  private final Map<Integer, Integer> toolBlocks = new HashMap<>();
  /** Tool calls that began while another call's block was open, held until it closes (see {@link #toolCall}). */
  private final Map<Integer, HeldCall> held = new LinkedHashMap<>();
  private Integer openTool;
  private final StringBuilder openArguments = new StringBuilder();
  private int nextIndex;
  private Block open = Block.NONE;

  /** The events go to {@code events}: the event's name and its data. */
  MessageBlocks(BiConsumer<String, ObjectNode> events) {
    this.events = events;
  }

  void text(String text) {
    if (text.isEmpty()) {
      return;
    }
    if (open != Block.TEXT) {
      close();
      open(Block.TEXT, MessageJson.text(""));
    }
    delta(ChatJson.object().put("type", "text_delta").put("text", text));
  }

  void reasoning(ChatChunk.Reasoning reasoning) {
    if (reasoning.redacted()) {
      close();
      open(Block.THINKING, MessageJson.thinking(reasoning));
      close();
      return;
    }
    if (open != Block.THINKING) {
      close();
      open(Block.THINKING, MessageJson.thinking(new ChatChunk.Reasoning("", "", false)));
    }
    if (!reasoning.text().isEmpty()) {
      delta(ChatJson.object().put("type", "thinking_delta").put("thinking", reasoning.text()));
    }
    if (reasoning.signature() != null) {
      delta(ChatJson.object().put("type", "signature_delta").put("signature", reasoning.signature()));
      open = Block.SIGNED_THINKING; // a signature ends its block: more reasoning is a block of its own
    }
  }

  /**
   * Opens a tool call's block. Another call's block still open closes first when its arguments are whole JSON
   * (the way OpenAI streams parallel calls, one after another); while they are not, that call may go on (an
   * OpenAI-protocol server may interleave the fragments of parallel calls), and Anthropic's blocks come one after
   * another, its SDKs reading a block's input when it stops: the later call is then held, with its fragments,
   * until the open block closes (the next text, or the end).
   */
  void toolCall(int call, String id, String name) {
    if (openTool != null && openTool != call && held.isEmpty() && whole(openArguments)) {
      close();
    }
    if (openTool != null && openTool != call) {
      HeldCall later = held.computeIfAbsent(call, i -> new HeldCall());
      later.id = id.isEmpty() ? later.id : id;
      later.name = name.isEmpty() ? later.name : name;
      return;
    }
    if (openTool == null) {
      close();
      toolBlocks.put(call, nextIndex);
      openTool = call;
      openArguments.setLength(0);
      open(Block.TOOL, MessageJson.toolUseStart(id, name));
    }
  }

  /**
   * Writes an argument fragment to its call's block: the open one, or a held call's buffer. A fragment for a call
   * whose block has already closed (text came between) can only still name that block.
   */
  void toolArgs(ChatChunk.ToolArgs args) {
    HeldCall later = held.get(args.index());
    if (later != null) {
      later.arguments.append(args.fragment());
      return;
    }
    Integer index = toolBlocks.get(args.index());
    if (index == null) {
      toolCall(args.index(), "", "");
      toolArgs(args);
      return;
    }
    if (openTool != null && openTool == args.index()) {
      openArguments.append(args.fragment());
    }
    inputDelta(index, args.fragment());
  }

  private static boolean whole(CharSequence arguments) {
    JsonNode parsed = Json.parseOrNull(arguments.toString().getBytes(StandardCharsets.UTF_8));
    return parsed != null && parsed.isObject();
  }

  private void inputDelta(int index, String fragment) {
    ObjectNode delta = ChatJson.object().put("type", "content_block_delta").put("index", index);
    delta.putObject("delta").put("type", "input_json_delta").put("partial_json", fragment);
    events.accept("content_block_delta", delta);
  }

  private void open(Block kind, ObjectNode block) {
    ObjectNode start = ChatJson.object().put("type", "content_block_start").put("index", nextIndex);
    start.set("content_block", block);
    events.accept("content_block_start", start);
    open = kind;
  }

  private void delta(ObjectNode delta) {
    ObjectNode event = ChatJson.object().put("type", "content_block_delta").put("index", nextIndex);
    event.set("delta", delta);
    events.accept("content_block_delta", event);
  }

  /** Closes the open block (if any); after a tool call's, the calls held meanwhile follow, each whole in its own block. */
  void close() {
    if (open == Block.NONE) {
      return;
    }
    stop();
    if (openTool != null) {
      openTool = null;
      held.forEach((call, later) -> {
        toolBlocks.put(call, nextIndex);
        open(Block.TOOL, MessageJson.toolUseStart(later.id, later.name));
        if (!later.arguments.isEmpty()) {
          inputDelta(nextIndex, later.arguments.toString());
        }
        stop();
      });
      held.clear();
    }
  }

  private void stop() {
    events.accept("content_block_stop", ChatJson.object().put("type", "content_block_stop").put("index", nextIndex));
    nextIndex++;
    open = Block.NONE;
  }

  /** A tool call held back while another call's block is open. */
  private static final class HeldCall {
    private String id = "";
    private String name = "";
    private final StringBuilder arguments = new StringBuilder();
  }

}
