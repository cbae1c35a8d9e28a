package io.reliapi.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Splits a {@code text/event-stream} body as a client would: named events and their data. */
public final class SseEvents {
  private SseEvents() {}

  public record Event(String name, String data) {
    public JsonNode json() {
      JsonNode node = Json.parseOrNull(data.getBytes(StandardCharsets.UTF_8));
      if (node == null) {
        throw new AssertionError("event data is not JSON: " + data);
      }
      return node;
    }
  }

  public static List<Event> parse(String body) {
    List<Event> events = new ArrayList<>();
    String name = null;
    StringBuilder data = null;
    for (String line : body.replace("\r\n", "\n").split("\n", -1)) {
      if (line.isEmpty()) {
        if (data != null) {
          events.add(new Event(name, data.toString()));
        }
        name = null;
        data = null;
      } else if (line.startsWith("event:")) {
        name = line.substring(6).strip();
      } else if (line.startsWith("data:")) {
        String value = line.substring(5);
        value = value.startsWith(" ") ? value.substring(1) : value;
        data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
      }
    }
    return events;
  }

  public static List<String> names(List<Event> events) {
    return events.stream().map(Event::name).toList();
  }
}
