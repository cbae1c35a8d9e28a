package io.reliapi.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.http.HeldBytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Adds a stream's chunks up to the {@link Completion} they amount to: the text, the tool calls with their
 * arguments joined, the protocol items at their places in the text, the id and model; the finish reason, usage and
 * cost come with the stream's end. It also
 * judges whether that completion is <em>faithful</em>: whether a stored copy of it would replay the same answer
 * the stream gave. A lossy chunk (a second choice, logprobs, audio) or visible reasoning, which a
 * stored completion cannot hold, make it unfaithful (reasoning only for a client shown its text). Past {@code maxHeldChars} of text and arguments, or when the
 * request's share of the memory budget cannot take more, it stops holding them (the answer is then not kept, and
 * the stream's end reports what it streamed without the text).
 */
final class StreamAssembly {
  private final long maxHeldChars;
  private final StringBuilder text = new StringBuilder();
  private final StringBuilder refusal = new StringBuilder();
  private final Map<Integer, ToolCall> toolCalls = new TreeMap<>();
  /** The protocol items, at their places; null until the first (most streams have none). */
  private List<ProtocolItems.Placed> items;
  private String id = "";
  private String model = "";
  private String stopSequence;
  private long created;
  private long heldChars;
  /** What the held text takes from the budget, as Java holds it ({@link SseParser#latin1}). */
  private long heldBytes;
  /** Whether held text went beyond Latin-1: its builders then hold two bytes a character, what they held too. */
  private boolean wide;
  private boolean faithful = true;
  private boolean holding = true;
  private boolean reasoningShown = true;
  private HeldBytes buffered = HeldBytes.untracked();

  StreamAssembly(long maxHeldChars) {
    this.maxHeldChars = maxHeldChars;
  }

  void add(ChatChunk chunk) {
    if (id.isEmpty()) {
      id = chunk.id() == null ? "" : chunk.id();
      model = chunk.model() == null ? "" : chunk.model();
      created = chunk.created();
    }
    faithful &= !chunk.lossy();
    if (!holding) {
      return;
    }
    int added = 0;
    boolean wasWide = wide;
    for (ChatChunk.Part part : chunk.parts()) {
      switch (part) {
        case ChatChunk.Text t -> {
          text.append(t.text());
          added += counted(t.text());
        }
        case ChatChunk.Reasoning r -> faithful &= !reasoningShown;
        case ChatChunk.Refusal r -> {
          refusal.append(r.text());
          added += counted(r.text());
        }
        case ChatChunk.ToolCall call -> toolCalls.computeIfAbsent(call.index(), i -> new ToolCall()).start(call);
        case ChatChunk.ToolArgs args -> {
          toolCalls.computeIfAbsent(args.index(), i -> new ToolCall()).arguments.append(args.fragment());
          added += counted(args.fragment());
        }
        case ChatChunk.ProtocolItem item -> {
          if (items == null) {
            items = new ArrayList<>();
          }
          items.add(new ProtocolItems.Placed(text.length(), item));
          text.append(item.text());
          added += counted(item.json()) + counted(item.text());
        }
        case ChatChunk.Start start -> { }
        case ChatChunk.Finish finish -> stopSequence = finish.stopSequence();
      }
    }
    heldChars += added;
    // Text turned wide inflates what was held already: counted again, once.
    long bytes = wide ? 2L * added + (wasWide ? 0 : heldBytes) : added;
    if (heldChars > maxHeldChars || bytes > 0 && !take(bytes)) {
      holding = false;
      faithful = false;
      text.setLength(0);
      refusal.setLength(0);
      toolCalls.clear();
      items = null;
    }
  }

  /**
   * Returns the answer so far when it is text only, held whole and faithful (no tool call, reasoning, refusal, protocol
   * item or lossy chunk: nothing a provider would need given back but the text), else null.
   */
  String textOnly() {
    return holding && faithful && toolCalls.isEmpty() && refusal.isEmpty() && items == null ? text.toString() : null;
  }

  /**
   * Tells whether the stream's client is shown its reasoning text: when it is not (a Responses client, shown the
   * provider's reasoning items instead), reasoning does not make the stream unfaithful.
   */
  void reasoningShown(boolean shown) {
    reasoningShown = shown;
  }

  /** Returns whether a stored copy of the completion would replay the answer the stream gave. */
  boolean faithful() {
    return faithful;
  }

  /** Returns the characters of {@code text}, noting whether any is beyond Latin-1. */
  private int counted(String text) {
    wide |= !SseParser.latin1(text);
    return text.length();
  }

  private boolean take(long bytes) {
    if (bytes > Integer.MAX_VALUE || !buffered.take((int) bytes)) {
      return false;
    }
    heldBytes += bytes;
    return true;
  }

  /**
   * Takes what it holds from {@code buffered}, the request's share of the memory budget: a character a byte while all
   * of it is Latin-1, two once one is not (as Java holds text).
   */
  void bufferedIn(HeldBytes buffered) {
    this.buffered = buffered;
  }

  /** Returns when the stream's completion was created, epoch seconds (for writing it out). */
  long created() {
    return created;
  }

  /**
   * Returns the completion the stream amounted to, ended for {@code finishReason} with {@code usage} (and at the stop
   * sequence its finish named).
   */
  Completion completion(String finishReason, Usage usage) {
    Optional<JsonNode> calls = Optional.empty();
    if (!toolCalls.isEmpty()) {
      ArrayNode array = ChatJson.array();
      toolCalls.values().forEach(call -> array.add(call.json()));
      calls = Optional.of(array);
    }
    boolean refused = !refusal.isEmpty();
    String content = text.isEmpty() && (calls.isPresent() || refused) ? null : text.toString();
    return new Completion(id, model, content, calls, finishReason, usage, null, List.of(),
        refused ? refusal.toString() : null, stopSequence, items == null ? List.of() : items);
  }

  /**
   * One tool call as its pieces arrive: the id once, the name and the arguments in parts (an OpenAI-protocol server
   * may split a name across deltas, {@code "get_"} then {@code "weather"}: its pieces are joined, as OpenAI's SDKs
   * join them).
   */
  private static final class ToolCall {
    private String id;
    private String name;
    private final StringBuilder arguments = new StringBuilder();

    void start(ChatChunk.ToolCall call) {
      id = call.id() != null ? call.id() : id;
      name = call.name() == null ? name : name == null ? call.name() : name + call.name();
    }

    ObjectNode json() {
      ObjectNode call = ChatJson.object();
      call.put("id", id);
      call.put("type", "function");
      call.putObject("function").put("name", name).put("arguments", arguments.toString());
      return call;
    }
  }
}
