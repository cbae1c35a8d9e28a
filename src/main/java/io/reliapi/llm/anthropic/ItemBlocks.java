package io.reliapi.llm.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * citations is held from its first citation on: the text it streamed before stays text; one that started with them
 * but cited nothing is plain text at its stop.
 */
final class ItemBlocks {
  private final Map<Integer, Held> held = new HashMap<>();

  /** Holds the block starting at {@code index}. */
  void start(int index, JsonNode block) {
    held.put(index, new Held((ObjectNode) block.deepCopy(), block.path("text").asText("")));
  }

  /** Returns whether a text block has citations from its start (even none yet): it is then held. */
  static boolean cited(JsonNode textBlock) {
    return textBlock.path("citations").isArray();
  }

  /** Adds a citation to the text block at {@code index}, holding it from here on if it was not held. */
  void cite(int index, JsonNode citation) {
    Held block = held.computeIfAbsent(index,
        i -> new Held(ChatJson.object().put("type", "text").put("text", ""), ""));
    if (!(block.json.get("citations") instanceof ArrayNode)) {
      block.json.putArray("citations");
    }
    ((ArrayNode) block.json.get("citations")).add(citation);
  }

  /** Adds text to the held block at {@code index}; returns false when that block is not held. */
  boolean text(int index, String text) {
    return append(index, text, Held::text);
  }

  /** Adds an input fragment to the held block at {@code index}; returns false when that block is not held. */
  boolean input(int index, String fragment) {
    return append(index, fragment, Held::input);
  }

  private boolean append(int index, String piece, Function<Held, StringBuilder> to) {
    Held block = held.get(index);
    if (block != null) {
      to.apply(block).append(piece);
    }
    return block != null;
  }

  /** Ends the block at {@code index}: its item when it was held (plain text, a text block that cited nothing). */
  Optional<ChatChunk.Part> stop(int index) {
    Held block = held.remove(index);
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
