package io.reliapi.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.reliapi.http.Json;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The protocol items of a finished answer ({@link ChatChunk.ProtocolItem}) at their places in it, and their stored
 * form. An item sits after the first {@code at} characters of the answer's text, and the text it holds for other
 * clients follows there in that text: a client of another protocol reads the text alone, a client of the item's own
 * protocol the text around the items and each item in its place ({@link #interleave}). Stored answers keep them in
 * the {@code chat.completion} message's {@value #MEMBER} member, which an OpenAI client is never shown
 * ({@link #stripped}).
 */
public final class ProtocolItems {
  /** The stored {@code chat.completion} message's member holding the items. */
  public static final String MEMBER = "reliapi_protocol_items";

  private ProtocolItems() {}

  /** An item after the first {@code at} characters of its answer's text. */
  public record Placed(int at, ChatChunk.ProtocolItem item) {}

  /**
   * Returns the answer's text and items as the parts a stream of them carries, in order: the text before, between
   * and after the items (an item's own text is the item's, not repeated beside it).
   */
  public static List<ChatChunk.Part> interleave(String content, List<Placed> items) {
    String text = content == null ? "" : content;
    List<ChatChunk.Part> parts = new ArrayList<>();
    int from = 0;
    for (Placed placed : items) {
      int at = Math.max(from, Math.min(placed.at(), text.length()));
      if (at > from) {
        parts.add(new ChatChunk.Text(text.substring(from, at)));
      }
      parts.add(placed.item());
      from = Math.min(text.length(), at + placed.item().text().length());
    }
    if (from < text.length()) {
      parts.add(new ChatChunk.Text(text.substring(from)));
    }
    return parts;
  }

  static void write(List<Placed> items, ObjectNode message) {
    if (items.isEmpty()) {
      return;
    }
    ArrayNode out = message.putArray(MEMBER);
    for (Placed placed : items) {
      ObjectNode entry = out.addObject().put("protocol", placed.item().protocol().name()).put("at", placed.at());
      if (!placed.item().text().isEmpty()) {
        entry.put("text", placed.item().text());
      }
      entry.putRawValue("item", new RawValue(placed.item().json()));
    }
  }

  static List<Placed> read(JsonNode message) {
    List<Placed> out = new ArrayList<>();
    for (JsonNode entry : message.path(MEMBER)) {
      WireProtocol protocol = protocol(entry.path("protocol").asText(""));
      if (protocol != null && entry.path("item").isObject() && entry.path("at").canConvertToInt()) {
        out.add(new Placed(entry.get("at").asInt(), new ChatChunk.ProtocolItem(protocol,
            entry.get("item").toString(), entry.path("text").asText(""))));
      }
    }
    return out;
  }

  /** Returns a stored {@code chat.completion} without its protocol items, as an OpenAI client is given it. */
  public static Buffer stripped(Buffer stored) {
    JsonNode root = Json.parseOrNull(stored.getBytes());
    if (root != null && root.path("choices").path(0).path("message") instanceof ObjectNode message) {
      message.remove(MEMBER);
      return ChatCompletion.bytes(root);
    }
    return stored;
  }

  private static WireProtocol protocol(String name) {
    for (WireProtocol protocol : WireProtocol.values()) {
      if (protocol.name().equals(name)) {
        return protocol;
      }
    }
    return null;
  }
}
