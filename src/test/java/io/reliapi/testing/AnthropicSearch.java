package io.reliapi.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.http.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An Anthropic answer that used the {@code web_search} server tool, as the Messages API gives it whole and streamed:
 * text, the {@code server_tool_use} block, its {@code web_search_tool_result}, a text block citing a result, more
 * text. And a client's reading of a Messages stream back into content blocks, as Anthropic's SDKs accumulate it.
 */
public final class AnthropicSearch {
  public static final String MODEL = "claude-sonnet-4-5-20250929";
  public static final String CALL = "{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_01WYG3z\",\"name\":\"web_search\","
      + "\"input\":{\"query\":\"vert.x 5 release\"}}";
  public static final String RESULT = "{\"type\":\"web_search_tool_result\",\"tool_use_id\":\"srvtoolu_01WYG3z\","
      + "\"content\":[{\"type\":\"web_search_result\",\"title\":\"Vert.x 5\",\"url\":\"https://vertx.io/blog\","
      + "\"encrypted_content\":\"EqgfCioIARgBIiQ3\",\"page_age\":\"May 2025\"}]}";
  public static final String CITATION = "{\"type\":\"web_search_result_location\",\"url\":\"https://vertx.io/blog\","
      + "\"title\":\"Vert.x 5\",\"encrypted_index\":\"Eo8BCioIAhgBIiQ\",\"cited_text\":\"Vert.x 5 was released\"}";
  public static final String CONTENT = "[{\"type\":\"text\",\"text\":\"I'll search for that.\"}," + CALL + "," + RESULT
      + ",{\"type\":\"text\",\"text\":\"Vert.x 5 is out.\",\"citations\":[" + CITATION + "]},"
      + "{\"type\":\"text\",\"text\":\" Upgrade soon.\"}]";
  /** What a client of another protocol reads: the text alone. */
  public static final String TEXT = "I'll search for that.Vert.x 5 is out. Upgrade soon.";
  static final String USAGE = "\"usage\":{\"input_tokens\":2100,\"cache_creation_input_tokens\":0,"
      + "\"cache_read_input_tokens\":0,\"output_tokens\":80,\"server_tool_use\":{\"web_search_requests\":1}}";

  private AnthropicSearch() {}

  public static JsonNode content() {
    return json(CONTENT);
  }

  public static Behavior whole() {
    return whole(CONTENT);
  }

  /** A whole answer of {@code content} (a JSON array of blocks), with the search's usage. */
  public static Behavior whole(String content) {
    return Behavior.respond(200, LlmBehaviors.anthropicHeaders(), "{\"id\":\"msg_01Search\",\"type\":\"message\","
        + "\"role\":\"assistant\",\"model\":\"" + MODEL + "\",\"content\":" + content + ",\"stop_reason\":\"end_turn\","
        + "\"stop_sequence\":null," + USAGE + "}");
  }

  /** The same answer streamed: the call's input in two fragments, the citation before its text. */
  public static Behavior streamed() {
    return LlmBehaviors.sse(streamedEvents(), 1);
  }

  /** The events of {@link #streamed()}. */
  public static List<String> streamedEvents() {
    List<String> events = new ArrayList<>();
    events.add(event("message_start", "\"message\":{\"id\":\"msg_01Search\",\"type\":\"message\",\"role\":"
        + "\"assistant\",\"content\":[],\"model\":\"" + MODEL + "\",\"stop_reason\":null,\"stop_sequence\":null,"
        + "\"usage\":{\"input_tokens\":2100,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,"
        + "\"output_tokens\":1}}"));
    events.add(start(0, "{\"type\":\"text\",\"text\":\"\"}"));
    events.add(delta(0, "{\"type\":\"text_delta\",\"text\":\"I'll search for that.\"}"));
    events.add(stop(0));
    events.add(start(1, CALL.replace("{\"query\":\"vert.x 5 release\"}", "{}")));
    events.add(delta(1, "{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"query\\\": \\\"vert.x\"}"));
    events.add(delta(1, "{\"type\":\"input_json_delta\",\"partial_json\":\" 5 release\\\"}\"}"));
    events.add(stop(1));
    events.add(start(2, RESULT));
    events.add(stop(2));
    events.add(start(3, "{\"type\":\"text\",\"text\":\"\"}"));
    events.add(delta(3, "{\"type\":\"citations_delta\",\"citation\":" + CITATION + "}"));
    events.add(delta(3, "{\"type\":\"text_delta\",\"text\":\"Vert.x 5 is out.\"}"));
    events.add(stop(3));
    events.add(start(4, "{\"type\":\"text\",\"text\":\"\"}"));
    events.add(delta(4, "{\"type\":\"text_delta\",\"text\":\" Upgrade soon.\"}"));
    events.add(stop(4));
    events.add(event("message_delta", "\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null}," + USAGE));
    events.add(event("message_stop", ""));
    return events;
  }

  /** Returns the index in {@link #streamedEvents()} of the search's result: the search runs just before it. */
  public static int resultEvent() {
    return streamedEvents().indexOf(start(2, RESULT));
  }

  /**
   * A stream that searched, then broke with Anthropic's {@code overloaded_error} before any text: the search's blocks
   * are all it gave.
   */
  public static Behavior overloadedAfterTheSearch() {
    List<String> events = new ArrayList<>();
    events.add(event("message_start", "\"message\":{\"id\":\"msg_01Broken\",\"type\":\"message\",\"role\":"
        + "\"assistant\",\"content\":[],\"model\":\"" + MODEL + "\",\"stop_reason\":null,\"stop_sequence\":null,"
        + "\"usage\":{\"input_tokens\":2100,\"output_tokens\":1}}"));
    events.add(start(0, CALL));
    events.add(stop(0));
    events.add(start(1, RESULT));
    events.add(stop(1));
    events.add(event("error", "\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}"));
    return LlmBehaviors.sse(events, 1);
  }

  /** A {@code web_fetch_tool_result} block that fetched a PDF, up to its base64 data. */
  private static final String PDF_OPEN = "{\"type\":\"web_fetch_tool_result\",\"tool_use_id\":\"srvtoolu_01F\",\"content\":"
      + "{\"type\":\"web_fetch_result\",\"url\":\"https://example.com/a.pdf\",\"content\":{\"type\":\"document\","
      + "\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\",\"data\":\"";
  private static final String PDF_END = "\"}}}}";

  /**
   * A stream that fetched a PDF with the {@code web_fetch} server tool: its {@code web_fetch_tool_result} holds
   * {@code size} base64 characters of it, whole in the block's start, then a line of text.
   */
  public static Behavior fetchedPdf(int size) {
    List<String> events = new ArrayList<>();
    events.add(fetchStart());
    events.add(start(0, PDF_OPEN + "J".repeat(size) + PDF_END));
    events.add(stop(0));
    events.add(start(1, "{\"type\":\"text\",\"text\":\"It is a PDF.\"}"));
    events.add(stop(1));
    events.add(event("message_delta", "\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
        + "\"usage\":{\"output_tokens\":9}"));
    events.add(event("message_stop", ""));
    return LlmBehaviors.sse(events, 1);
  }

  /**
   * A stream whose {@code web_fetch_tool_result} never ends: its block's start event grows by base64 characters for
   * ever (a hostile or broken provider), without the blank line that would end it.
   */
  public static Behavior endlessFetch() {
    String opening = fetchStart() + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
        + "\"content_block\":" + PDF_OPEN;
    return Behavior.endless(LlmBehaviors.sseHeaders(), opening, "J".repeat(16 * 1024));
  }

  private static String fetchStart() {
    return event("message_start", "\"message\":{\"id\":\"msg_01Fetch\",\"type\":\"message\",\"role\":"
        + "\"assistant\",\"content\":[],\"model\":\"" + MODEL + "\",\"stop_reason\":null,\"stop_sequence\":null,"
        + "\"usage\":{\"input_tokens\":2100,\"output_tokens\":1}}");
  }

  /** Reads a Messages stream's blocks back as Anthropic's SDKs accumulate them. */
  public static ArrayNode blocks(List<SseEvents.Event> events) {
    ArrayNode content = Json.MAPPER.createArrayNode();
    StringBuilder input = new StringBuilder();
    for (SseEvents.Event event : events) {
      JsonNode data = event.json();
      ObjectNode open = content.isEmpty() ? null : (ObjectNode) content.get(content.size() - 1);
      JsonNode delta = data.path("delta");
      switch (event.name()) {
        case "content_block_start" -> {
          if (data.get("index").asInt() != content.size()) {
            throw new AssertionError("block index " + data.get("index") + " after " + content.size() + " blocks");
          }
          content.add(data.get("content_block").deepCopy());
          input.setLength(0);
        }
        case "content_block_delta" -> {
          switch (delta.path("type").asText()) {
            case "text_delta" -> open.put("text", open.path("text").asText() + delta.get("text").asText());
            case "input_json_delta" -> input.append(delta.get("partial_json").asText());
            case "citations_delta" -> ((ArrayNode) open.get("citations")).add(delta.get("citation"));
            case "thinking_delta" -> open.put("thinking", open.path("thinking").asText() + delta.get("thinking").asText());
            case "signature_delta" -> open.put("signature", delta.get("signature").asText());
            default -> throw new AssertionError("unexpected delta " + delta);
          }
        }
        case "content_block_stop" -> {
          if (!input.isEmpty()) {
            open.set("input", json(input.toString()));
          }
        }
        default -> { }
      }
    }
    return content;
  }

  public static JsonNode json(String text) {
    return Json.parseOrNull(text.getBytes(StandardCharsets.UTF_8));
  }

  static String start(int index, String block) {
    return event("content_block_start", "\"index\":" + index + ",\"content_block\":" + block);
  }

  static String delta(int index, String delta) {
    return event("content_block_delta", "\"index\":" + index + ",\"delta\":" + delta);
  }

  static String stop(int index) {
    return event("content_block_stop", "\"index\":" + index);
  }

  static String event(String type, String fields) {
    return "event: " + type + "\ndata: {\"type\":\"" + type + "\"" + (fields.isEmpty() ? "" : "," + fields) + "}\n\n";
  }
}
