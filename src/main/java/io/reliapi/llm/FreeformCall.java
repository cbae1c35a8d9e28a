package io.reliapi.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.http.Json;

/**
 * How the neutral model holds a call of a custom (freeform) tool, which takes plain text rather than JSON
 * arguments (the Responses API's {@code custom} tools, such as Codex CLI's {@code apply_patch}): as a function
 * call whose arguments are {@code {"input": "<the text>"}}, and the tool as a function of that one string. Every
 * provider can take and answer such a function, so a custom tool survives any translation, the cache and a
 * fallback; the Responses route turns the calls back into {@code custom_tool_call} items.
 */
public final class FreeformCall {
  private static final String FIELD = "input";
  private static final String OPENING = "{\"" + FIELD + "\":\"";
  private static final String CLOSING = "\"}";

  private FreeformCall() {}

  /** The arguments of a call whose whole input is {@code input}. */
  public static String arguments(String input) {
    return OPENING + fragment(input) + CLOSING;
  }

  /** What streamed arguments start with, before the input's first fragment. */
  public static String opening() {
    return OPENING;
  }

  /** What streamed arguments end with, after the input's last fragment. */
  public static String closing() {
    return CLOSING;
  }

  /** A fragment of the input as it goes inside the arguments' JSON string (escaping is per character). */
  public static String fragment(String raw) {
    String quoted = ChatJson.object().textNode(raw).toString();
    return quoted.substring(1, quoted.length() - 1);
  }

  /**
   * The input of a call with these arguments; arguments that are not the one-string object (a model that wrote
   * the text bare) are the input as they are.
   */
  public static String input(String arguments) {
    JsonNode parsed = Json.parseOrNull(arguments.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    if (parsed != null && parsed.isObject() && parsed.size() == 1 && parsed.path(FIELD).isTextual()) {
      return parsed.get(FIELD).asText();
    }
    return arguments;
  }

  /** The JSON schema of the function standing for a custom tool; {@code format} describes its text, if given. */
  public static ObjectNode parameters(String format) {
    ObjectNode schema = ChatJson.object().put("type", "object");
    ObjectNode input = schema.putObject("properties").putObject(FIELD).put("type", "string");
    if (format != null) {
      input.put("description", format);
    }
    schema.putArray("required").add(FIELD);
    return schema.put("additionalProperties", false);
  }
}
