package io.reliapi.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import java.nio.charset.StandardCharsets;

/** A tool call's arguments as the object providers other than OpenAI want (OpenAI sends them as JSON text). */
public final class ToolArguments {
  private ToolArguments() {}

  /** Returns the arguments as an object: given as one, or parsed from JSON text; anything else is {@code {}}. */
  public static JsonNode object(JsonNode arguments) {
    if (arguments.isObject()) {
      return arguments;
    }
    JsonNode parsed = arguments.isTextual() ? Json.parseOrNull(arguments.asText().getBytes(StandardCharsets.UTF_8)) : null;
    return parsed != null && parsed.isObject() ? parsed : ChatJson.object();
  }
}
