package io.reliapi.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import java.util.Optional;

/** Typed reads of JSON request fields, each failing with a message that names the field. */
public final class Fields {
  private static final int MAX_ECHO = 40;

  private Fields() {}

  public static boolean given(JsonNode node) {
    return node != null && !node.isNull() && !node.isMissingNode();
  }

  public static String requiredText(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (!given(node)) {
      throw invalid("Field '" + field + "' is required.");
    }
    if (!node.isTextual() || node.asText().isEmpty()) {
      throw invalid("Field '" + field + "' must be a non-empty string.");
    }
    return node.asText();
  }

  public static Optional<String> optionalText(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (!given(node)) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw invalid("Field '" + field + "' must be a string.");
    }
    return Optional.of(node.asText());
  }

  public static Optional<Long> optionalInteger(JsonNode root, String field, long min, long max) {
    JsonNode node = root.get(field);
    if (!given(node)) {
      return Optional.empty();
    }
    if (!node.isIntegralNumber() || node.asLong() < min || node.asLong() > max) {
      throw invalid("Field '" + field + "' must be an integer from " + min + " to " + max + ".");
    }
    return Optional.of(node.asLong());
  }

  /** Returns a field name safe to echo in an error: short and without control characters. */
  public static String printable(String name) {
    String cut = name.length() > MAX_ECHO ? name.substring(0, MAX_ECHO) + "…" : name;
    return cut.replaceAll("[\\p{Cntrl}]", "?");
  }

  public static GatewayException invalid(String message) {
    return GatewayException.of(ErrorCode.INVALID_REQUEST, message);
  }
}
