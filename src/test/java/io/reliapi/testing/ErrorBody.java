package io.reliapi.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.http.Json;
import java.nio.charset.StandardCharsets;

/** The message and code of an OpenAI-style error body, tolerating junk (failoverbench's {@code parse_error_body}). */
record ErrorBody(String message, String code) {

  static ErrorBody parse(byte[] body) {
    JsonNode root = Json.parseOrNull(body);
    if (root == null) {
      String text = new String(body, StandardCharsets.UTF_8);
      return new ErrorBody(text.isEmpty() ? "(empty body)" : cut(text), null);
    }
    return root.path("error").isObject() ? of(root) : new ErrorBody(cut(root.toString()), null);
  }

  /** The error object of {@code root}. */
  static ErrorBody of(JsonNode root) {
    JsonNode error = root.path("error");
    if (!error.isObject()) {
      return new ErrorBody(cut(root.toString()), null);
    }
    String message = truthy(error.get("message")) ? error.get("message").asText() : error.toString();
    JsonNode code = error.get("code");
    return new ErrorBody(message, code == null || code.isNull() ? null : code.asText());
  }

  /** Python's truth of a JSON value: null, false, 0, "" and empty containers are false. */
  static boolean truthy(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return false;
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    if (node.isNumber()) {
      return node.asDouble() != 0;
    }
    if (node.isTextual()) {
      return !node.asText().isEmpty();
    }
    return node.size() > 0;
  }

  private static String cut(String text) {
    return text.length() > 200 ? text.substring(0, 200) : text;
  }
}
