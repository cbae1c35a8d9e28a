package io.reliapi.llm.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.llm.ChatChunk;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.WireProtocol;
import java.util.HashMap;
import java.util.Map;

/**
 * The annotations of a Responses answer's text ({@code url_citation}, {@code file_citation}, …) as protocol items
 * for a Responses client alone: each travels as {@code {"annotation": {...}}} (a member no output item has), placed
 * after the text it annotates. The gateway writes an answer's text as one {@code output_text} part, so an
 * annotation's {@code start_index} and {@code end_index}, which count characters (code points) from the start of the
 * provider's own part, are moved by the text of the parts before it. Used for one answer, whole or streamed.
 */
final class TextAnnotations {
  /** The member of a protocol item that makes it an annotation of the text. */
  static final String MEMBER = "annotation";
  /** Where each of the provider's text parts ({@code output_index:content_index}) starts in the whole text. */
  private final Map<String, Integer> starts = new HashMap<>();
  private int written;

  /** Counts text written to the answer in the part at {@code output_index}, {@code content_index} of {@code event}. */
  void text(JsonNode event, String text) {
    start(event);
    written += text.codePointCount(0, text.length());
  }

  /** Returns the annotation an event ({@code response.output_text.annotation.added}) adds, as a protocol item. */
  ChatChunk.ProtocolItem added(JsonNode event) {
    return item(event.path("annotation"), start(event));
  }

  /** Returns an annotation of a part that starts {@code offset} characters into the answer's text, as an item. */
  static ChatChunk.ProtocolItem item(JsonNode annotation, int offset) {
    ObjectNode moved = annotation.isObject() ? ((ObjectNode) annotation).deepCopy() : ChatJson.object();
    for (String field : new String[] {"start_index", "end_index"}) {
      if (offset > 0 && moved.path(field).canConvertToInt()) {
        moved.put(field, moved.get(field).asInt() + offset);
      }
    }
    ObjectNode json = ChatJson.object();
    json.set(MEMBER, moved);
    return new ChatChunk.ProtocolItem(WireProtocol.OPENAI_RESPONSES, json.toString(), "");
  }

  private int start(JsonNode event) {
    String part = event.path("output_index").asInt(-1) + ":" + event.path("content_index").asInt(-1);
    return starts.computeIfAbsent(part, p -> written);
  }
}
