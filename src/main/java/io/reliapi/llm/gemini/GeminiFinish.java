package io.reliapi.llm.gemini;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Gemini's finish reasons in OpenAI's words, and the HTTP status of an error Gemini reports. A turn that called
 * functions ends with {@code STOP}, which is {@code tool_calls}; {@code MAX_TOKENS} is {@code length}; every
 * safety, recitation, language and blocklist reason is {@code content_filter}; anything else ({@code OTHER},
 * {@code MALFORMED_FUNCTION_CALL}, reasons added later) is {@code stop}.
 */
final class GeminiFinish {
  private GeminiFinish() {}

  static String toOpenAi(String reason, boolean calledFunctions) {
    if (reason == null) {
      return null;
    }
    return switch (reason) {
      case "STOP" -> calledFunctions ? "tool_calls" : "stop";
      case "MAX_TOKENS" -> "length";
      case "SAFETY", "RECITATION", "LANGUAGE", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY",
           "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION" -> "content_filter";
      default -> calledFunctions ? "tool_calls" : "stop";
    };
  }

  /** Returns the HTTP status of a Gemini error object: its {@code code}, else the one its {@code status} names. */
  static int status(JsonNode error) {
    int code = error.path("code").asInt(0);
    if (code >= 400 && code <= 599) {
      return code;
    }
    return switch (error.path("status").asText("")) {
      case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE" -> 400;
      case "UNAUTHENTICATED" -> 401;
      case "PERMISSION_DENIED" -> 403;
      case "NOT_FOUND" -> 404;
      case "RESOURCE_EXHAUSTED" -> 429;
      case "UNAVAILABLE" -> 503;
      case "DEADLINE_EXCEEDED" -> 504;
      default -> 500;
    };
  }
}
