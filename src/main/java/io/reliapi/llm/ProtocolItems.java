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
 * ({@link #stripped}). An answer is given these items only for a client of their protocol: for any other client they
 * become their text where they leave the provider's adapter ({@link #shownIn}), so that client's stream commits, times
 * its first token and keeps its answer by what it is shown.
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

  /**
   * Returns {@code chunk} as a client of {@code asked} is given it: an item of another protocol becomes its text
   * (nothing when it holds none); null when nothing is left of the chunk. A chunk without such items is returned as
   * it is (the plain path allocates nothing).
   */
  public static ChatChunk shownIn(WireProtocol asked, ChatChunk chunk) {
    if (!hasForeign(asked, chunk.parts())) {
      return chunk;
    }
    List<ChatChunk.Part> parts = new ArrayList<>(chunk.parts().size());
    for (ChatChunk.Part part : chunk.parts()) {
      if (!(part instanceof ChatChunk.ProtocolItem item) || item.protocol() == asked) {
        parts.add(part);
      } else if (!item.text().isEmpty()) {
        parts.add(new ChatChunk.Text(item.text()));
      }
    }
    if (parts.isEmpty() && chunk.usage() == null) {
      return null;
    }
    return new ChatChunk(chunk.id(), chunk.model(), chunk.created(), parts, chunk.usage(), chunk.usageOnly(),
        chunk.lossy(), chunk.openAiJson());
  }

  /**
   * Returns {@code answer} as a client of {@code asked} keeps it: without the items of another protocol (their text is
   * in its text already).
   */
  public static Completion shownIn(WireProtocol asked, Completion answer) {
    if (answer.items().isEmpty()) {
      return answer;  // nearly every answer: no stream pipeline allocated per request for nothing
    }
    List<Placed> kept = answer.items().stream().filter(placed -> placed.item().protocol() == asked).toList();
    return kept.size() == answer.items().size() ? answer : answer.withItems(kept);
  }

  private static boolean hasForeign(WireProtocol asked, List<ChatChunk.Part> parts) {
    for (ChatChunk.Part part : parts) {
      if (part instanceof ChatChunk.ProtocolItem item && item.protocol() != asked) {
        return true;
      }
    }
    return false;
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
