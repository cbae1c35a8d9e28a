package io.reliapi.server.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.llm.ChatJson;
import java.util.function.BiConsumer;

/**
 * Writes the events of a message's content blocks, numbered as they open: {@code content_block_start}, its
 * {@code content_block_delta}s and {@code content_block_stop}. One block is open at a time; which blocks come
 * when is {@link MessageBlocks}'s to decide.
 */
final class BlockEvents {
  /** What the open block is: what may follow in it. */
  enum Block { NONE, TEXT, THINKING, SIGNED_THINKING, TOOL, ITEM }

  /** An item citing the text before it, which came as text: Anthropic's {@code citations_delta}. */
  static final String CITATION = "citations_delta";

  private final BiConsumer<String, ObjectNode> events;
  private int index;
  private Block open = Block.NONE;

  /** The events go to {@code events}: the event's name and its data. */
  BlockEvents(BiConsumer<String, ObjectNode> events) {
    this.events = events;
  }

  Block open() {
    return open;
  }

  /** Marks the open block as {@code kind} (a signed thinking block takes no more thinking). */
  void openAs(Block kind) {
    open = kind;
  }

  void start(Block kind, ObjectNode block) {
    ObjectNode start = ChatJson.object().put("type", "content_block_start").put("index", index);
    start.set("content_block", block);
    events.accept("content_block_start", start);
    open = kind;
  }

  void delta(ObjectNode delta) {
    ObjectNode event = ChatJson.object().put("type", "content_block_delta").put("index", index);
    event.set("delta", delta);
    events.accept("content_block_delta", event);
  }

  void inputDelta(String fragment) {
    delta(ChatJson.object().put("type", "input_json_delta").put("partial_json", fragment));
  }

  /** Writes {@code item} into the open text block when it cites that text; returns whether it did. */
  boolean citeOpenText(ObjectNode item) {
    if (open != Block.TEXT || !item.path("type").asText("").equals(CITATION)) {
      return false;
    }
    delta(item);
    return true;
  }

  /**
   * Writes a block given whole (an Anthropic protocol item) as Anthropic streams one of its kind: a call's input
   * as one {@code input_json_delta} into a block that starts with it empty, a cited text's citations as
   * {@code citations_delta}s and then its text, any other block whole at its start.
   */
  void whole(ObjectNode given) {
    ObjectNode block = given;
    if (given.path("type").asText("").equals(CITATION)) {
      block = MessageJson.text(""); // a citation with no text block open to take it: a cited block without text
      block.putArray("citations").add(given.get("citation"));
    }
    if (block.path("input").isObject()) {
      ObjectNode start = block.deepCopy();
      start.putObject("input");
      start(Block.ITEM, start);
      if (!block.get("input").isEmpty()) {
        inputDelta(block.get("input").toString());
      }
    } else if (block.path("type").asText("").equals("text")) {
      ObjectNode text = ChatJson.object().put("type", "text").put("text", "");
      text.putArray("citations");
      start(Block.ITEM, text);
      for (JsonNode citation : block.path("citations")) {
        ObjectNode delta = ChatJson.object().put("type", "citations_delta");
        delta.set("citation", citation);
        delta(delta);
      }
      delta(ChatJson.object().put("type", "text_delta").put("text", block.path("text").asText("")));
    } else {
      start(Block.ITEM, block);
    }
    stop();
  }

  void stop() {
    events.accept("content_block_stop", ChatJson.object().put("type", "content_block_stop").put("index", index));
    index++;
    open = Block.NONE;
  }
}
