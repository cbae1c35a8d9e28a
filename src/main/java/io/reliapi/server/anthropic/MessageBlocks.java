package io.reliapi.server.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.http.Json;
import io.reliapi.llm.ChatChunk;
import io.reliapi.llm.ChatJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The content blocks of one streamed message, numbered as they open, and the events that write them:
 * {@code content_block_start}, its deltas ({@code text_delta}, {@code thinking_delta}, {@code signature_delta},
 * {@code input_json_delta}) and {@code content_block_stop}. Anthropic's blocks come one after another: one is
 * open at a time, and a block never gets a delta after its stop (its SDKs read a call's input at its stop).
 * A neutral stream need not keep that order, so a tool call's block closes only once its arguments are whole
 * JSON (or the message ends): a call that begins before is held, and text or reasoning that comes before waits
 * (see {@link #toolCall}, {@link #text}). A call is held, too, until its id and name are known.
 */
final class MessageBlocks {
  private enum Block { NONE, TEXT, THINKING, SIGNED_THINKING, TOOL }

  private final BiConsumer<String, ObjectNode> events;
  /** The calls whose block has opened. */
  private final Set<Integer> started = new HashSet<>();
  /** Calls not yet written: begun while another call's block was open, or not yet named. */
  private final Map<Integer, HeldCall> held = new LinkedHashMap<>();
  /** Text and reasoning that came while the open call's arguments (or a held call's) were not yet whole. */
  private final List<Runnable> waiting = new ArrayList<>();
  private Integer openTool;
  private final StringBuilder openArguments = new StringBuilder();
  private int nextIndex;
  private Block open = Block.NONE;

  /** The events go to {@code events}: the event's name and its data. */
  MessageBlocks(BiConsumer<String, ObjectNode> events) {
    this.events = events;
  }

  /** Writes text; while a call's arguments are unfinished it waits, to follow that call's block. */
  void text(String text) {
    if (text.isEmpty()) {
      return;
    }
    if (mustWait()) {
      waiting.add(() -> text(text));
      return;
    }
    if (open != Block.TEXT) {
      stopOpen();
      open(Block.TEXT, MessageJson.text(""));
    }
    delta(ChatJson.object().put("type", "text_delta").put("text", text));
  }

  void reasoning(ChatChunk.Reasoning reasoning) {
    if (mustWait()) {
      waiting.add(() -> reasoning(reasoning));
      return;
    }
    if (reasoning.redacted()) {
      stopOpen();
      open(Block.THINKING, MessageJson.thinking(reasoning));
      stop();
      return;
    }
    if (open != Block.THINKING) {
      stopOpen();
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
   * Names a tool call, opening its block once its id and name are both known (a server may send the first
   * fragments, or the name, after the id). Another call's block still open closes first when the arguments it and
   * the held calls have are whole JSON (the way OpenAI streams parallel calls, one after another); while they are
   * not, that call may go on (an OpenAI-protocol server may interleave the fragments of parallel calls): the later
   * call is then held, with its fragments, and follows whole when the open block closes.
   */
  void toolCall(int call, String id, String name) {
    if (started.contains(call)) {
      return; // its block has started, named
    }
    HeldCall later = held.computeIfAbsent(call, i -> new HeldCall());
    later.id = id.isEmpty() ? later.id : id;
    later.name = name.isEmpty() ? later.name : name;
    if (!later.named()) {
      return;
    }
    held.remove(call);
    if (openTool != null && settled()) {
      stopOpen();
      runWaiting();
    }
    if (openTool != null) {
      held.put(call, later);
      return;
    }
    stopOpen();
    started.add(call);
    openTool = call;
    openArguments.setLength(0);
    openArguments.append(later.arguments);
    open(Block.TOOL, MessageJson.toolUseStart(later.id, later.name));
    if (!later.arguments.isEmpty()) {
      inputDelta(nextIndex, later.arguments.toString());
    }
  }

  /**
   * Writes an argument fragment to its call's block if it is the open one, else to the call's buffer while it is
   * held. A block stops only once its arguments are whole JSON, so a fragment for a stopped block could only be
   * whitespace or spoil them: it is dropped.
   */
  void toolArgs(ChatChunk.ToolArgs args) {
    int call = args.index();
    if (openTool != null && openTool == call) {
      openArguments.append(args.fragment());
      inputDelta(nextIndex, args.fragment());
    } else if (!started.contains(call)) {
      held.computeIfAbsent(call, i -> new HeldCall()).arguments.append(args.fragment());
    }
    if (!waiting.isEmpty() && settled()) {
      stopOpen();
      runWaiting();
    }
  }

  /** Ends the message's blocks: the open one, what waited for it, and last the calls never named, as they came. */
  void close() {
    stopOpen();
    runWaiting();
    stopOpen();
    held.forEach(this::writeWhole);
    held.clear();
  }

  /** Whether text or reasoning must wait: a call's block is open and it, or a held call, may still get fragments. */
  private boolean mustWait() {
    return openTool != null && (!waiting.isEmpty() || !settled());
  }

  /** Whether the open call's arguments and those of the named calls held behind it are whole JSON. */
  private boolean settled() {
    if (!whole(openArguments)) {
      return false;
    }
    for (HeldCall later : held.values()) {
      if (later.named() && !whole(later.arguments)) {
        return false;
      }
    }
    return true;
  }

  private static boolean whole(CharSequence arguments) {
    JsonNode parsed = Json.parseOrNull(arguments.toString().getBytes(StandardCharsets.UTF_8));
    return parsed != null && parsed.isObject();
  }

  private void runWaiting() {
    List<Runnable> now = List.copyOf(waiting);
    waiting.clear();
    now.forEach(Runnable::run);
  }

  /** Stops the open block (if any); after a tool call's, the named calls held meanwhile follow, each whole. */
  private void stopOpen() {
    if (open == Block.NONE) {
      return;
    }
    stop();
    if (openTool != null) {
      openTool = null;
      for (Iterator<Map.Entry<Integer, HeldCall>> calls = held.entrySet().iterator(); calls.hasNext(); ) {
        Map.Entry<Integer, HeldCall> later = calls.next();
        if (later.getValue().named()) {
          writeWhole(later.getKey(), later.getValue());
          calls.remove();
        }
      }
    }
  }

  private void writeWhole(int index, HeldCall call) {
    started.add(index);
    open(Block.TOOL, MessageJson.toolUseStart(call.id, call.name));
    if (!call.arguments.isEmpty()) {
      inputDelta(nextIndex, call.arguments.toString());
    }
    stop();
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

  private void stop() {
    events.accept("content_block_stop", ChatJson.object().put("type", "content_block_stop").put("index", nextIndex));
    nextIndex++;
    open = Block.NONE;
  }

  /** A tool call held back: another call's block is open, or its id or name is not known yet. */
  private static final class HeldCall {
    private String id = "";
    private String name = "";
    private final StringBuilder arguments = new StringBuilder();

    private boolean named() {
      return !id.isEmpty() && !name.isEmpty();
    }
  }
}
