package io.reliapi.llm.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.http.HeldBytes;
import io.reliapi.http.Json;
import io.reliapi.llm.ChatChunk;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.WireProtocol;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The streamed content blocks an Anthropic client is given back whole, as protocol items: blocks the neutral parts
 * have no kind for (server tool calls such as {@code server_tool_use}, their {@code *_tool_result}s, later kinds) and
 * text blocks with citations. Each is held from its start to its stop, its {@code input_json_delta}s, text and
 * {@code citations_delta}s joined into it, and becomes one item at its stop. A text block that started without
 * citations is held from its first citation on when that came before its text; one that came after some of its text
 * (which went on as text) is an item of its own, the {@code citations_delta}, which an Anthropic client gets in the
 * text block it is writing. A block that started with citations but cited nothing is plain text at its stop.
 *
 * <p>What it holds is taken from the request's share of the memory budget as it arrives (a {@code web_fetch_tool_result}
 * may hold a whole PDF): without room the stream fails ({@link HeldBytes#shedAnswer}), as a block given whole cannot be
 * given in part. A stream without such blocks allocates nothing here past this object.
 */
final class ItemBlocks {
  /** The held blocks by index; null until the first. */
  private Map<Integer, Held> held;
  /** The open text block not held that streamed text (Anthropic streams one block at a time), or -1. */
  private int streamed = -1;
  private HeldBytes buffered = HeldBytes.untracked();

  /** Takes what it holds from {@code buffered}, the request's share of the memory budget. */
  void bufferedIn(HeldBytes buffered) {
    this.buffered = buffered;
  }

  /**
   * Holds the block starting at {@code index}, as the event of {@code bytes} brought it (the event's own tree, which
   * nothing else keeps: no copy).
   */
  void start(int index, JsonNode block, int bytes) {
    take(bytes);
    held().put(index, new Held((ObjectNode) block, block.path("text").asText("")));
  }

  /** Returns whether a text block has citations from its start (even none yet): it is then held. */
  static boolean cited(JsonNode textBlock) {
    return textBlock.path("citations").isArray();
  }

  /**
   * Adds a citation to the text block at {@code index}, holding the block from here on if it was not held and has
   * streamed no text yet; returns the citation as an item of its own when that block streamed text already.
   */
  Optional<ChatChunk.Part> cite(int index, JsonNode citation, int bytes) {
    if (streamed == index && (held == null || !held.containsKey(index))) {
      ObjectNode delta = ChatJson.object().put("type", "citations_delta");
      delta.set("citation", citation);
      return Optional.of(new ChatChunk.ProtocolItem(WireProtocol.ANTHROPIC_MESSAGES, delta.toString(), ""));
    }
    take(bytes);
    Held block = held().computeIfAbsent(index,
        i -> new Held(ChatJson.object().put("type", "text").put("text", ""), ""));
    if (!(block.json.get("citations") instanceof ArrayNode)) {
      block.json.putArray("citations");
    }
    ((ArrayNode) block.json.get("citations")).add(citation);
    return Optional.empty();
  }

  /** Adds text to the held block at {@code index}; returns false when that block is not held (the text streams). */
  boolean text(int index, String text) {
    if (append(index, text, Held::text)) {
      return true;
    }
    if (!text.isEmpty()) {
      streamed = index;
    }
    return false;
  }

  /** Adds an input fragment to the held block at {@code index}; returns false when that block is not held. */
  boolean input(int index, String fragment) {
    return append(index, fragment, Held::input);
  }

  private boolean append(int index, String piece, Function<Held, StringBuilder> to) {
    Held block = held == null ? null : held.get(index);
    if (block != null) {
      take(piece.length());
      to.apply(block).append(piece);
    }
    return block != null;
  }

  private Map<Integer, Held> held() {
    if (held == null) {
      held = new HashMap<>();
    }
    return held;
  }

  private void take(int bytes) {
    if (!buffered.take(bytes)) {
      throw buffered.shedAnswer();
    }
  }

  /** Ends the block at {@code index}: its item when it was held (plain text, a text block that cited nothing). */
  Optional<ChatChunk.Part> stop(int index) {
    if (streamed == index) {
      streamed = -1;
    }
    Held block = held == null ? null : held.remove(index);
    return block == null ? Optional.empty() : Optional.of(block.item());
  }

  /** A held block: as it started, with the text and input that came since. */
  private record Held(ObjectNode json, StringBuilder text, StringBuilder input) {
    Held(ObjectNode json, String text) {
      this(json, new StringBuilder(text), new StringBuilder());
    }

    ChatChunk.Part item() {
      boolean textBlock = json.path("type").asText("").equals("text");
      if (textBlock && json.path("citations").isEmpty()) {
        return new ChatChunk.Text(text.toString());
      }
      if (textBlock) {
        json.put("text", text.toString());
      }
      if (!input.isEmpty()) {
        JsonNode parsed = Json.parseOrNull(input.toString().getBytes(StandardCharsets.UTF_8));
        if (parsed != null && parsed.isObject()) {
          json.set("input", parsed);
        }
      }
      return new ChatChunk.ProtocolItem(WireProtocol.ANTHROPIC_MESSAGES, json.toString(),
          textBlock ? text.toString() : "");
    }
  }
}
