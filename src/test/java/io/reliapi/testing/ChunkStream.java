package io.reliapi.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An OpenAI {@code chat.completion.chunk} stream as a client adds it up: the text, the tool calls (arguments
 * joined), the finish reason, the usage chunk if one came, and whether it ended with {@code data: [DONE]}.
 */
public record ChunkStream(String text, String finishReason, JsonNode usage, List<ToolCall> toolCalls, boolean done,
    int events) {

  public record ToolCall(String id, String name, String arguments) {}

  public static ChunkStream of(String body) {
    List<SseEvents.Event> events = SseEvents.parse(body);
    StringBuilder text = new StringBuilder();
    String finish = null;
    JsonNode usage = null;
    Map<Integer, String[]> calls = new TreeMap<>();
    boolean done = false;
    for (SseEvents.Event event : events) {
      if (event.data().equals("[DONE]")) {
        done = true;
        continue;
      }
      JsonNode chunk = event.json();
      if (chunk.path("usage").isObject()) {
        usage = chunk.get("usage");
      }
      for (JsonNode choice : chunk.path("choices")) {
        JsonNode delta = choice.path("delta");
        text.append(delta.path("content").asText(""));
        finish = choice.path("finish_reason").isTextual() ? choice.get("finish_reason").asText() : finish;
        for (JsonNode call : delta.path("tool_calls")) {
          String[] parts = calls.computeIfAbsent(call.get("index").asInt(), i -> new String[] {null, null, ""});
          parts[0] = call.path("id").isTextual() ? call.get("id").asText() : parts[0];
          parts[1] = call.path("function").path("name").isTextual() ? call.get("function").get("name").asText() : parts[1];
          parts[2] += call.path("function").path("arguments").asText("");
        }
      }
    }
    List<ToolCall> toolCalls = new ArrayList<>();
    calls.values().forEach(p -> toolCalls.add(new ToolCall(p[0], p[1], p[2])));
    return new ChunkStream(text.toString(), finish, usage, toolCalls, done, events.size());
  }
}
