package io.reliapi.llm.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.llm.ChatCompletion;

/** Anthropic's stop reasons in the neutral words ({@link io.reliapi.llm.Completion#finishReason()}). */
final class StopReasons {
  private StopReasons() {}

  static String toNeutral(String stopReason) {
    if (stopReason == null) {
      return null;
    }
    return switch (stopReason) {
      case "max_tokens", "model_context_window_exceeded" -> "length";
      case "tool_use" -> "tool_calls";
      case "refusal" -> "content_filter";
      case ChatCompletion.PAUSE_TURN -> ChatCompletion.PAUSE_TURN;
      default -> "stop"; // end_turn, stop_sequence
    };
  }

  /** Returns the stop sequence a message ended at: its {@code stop_sequence} when it stopped for one, else null. */
  static String stopSequence(String stopReason, JsonNode stopSequence) {
    return "stop_sequence".equals(stopReason) && stopSequence.isTextual() ? stopSequence.asText() : null;
  }

  /** Returns the HTTP status an Anthropic error type stands for (as used in error events of a stream). */
  static int status(String errorType) {
    return switch (errorType == null ? "" : errorType) {
      case "invalid_request_error" -> 400;
      case "authentication_error" -> 401;
      case "billing_error" -> 402;
      case "permission_error" -> 403;
      case "not_found_error" -> 404;
      case "request_too_large" -> 413;
      case "rate_limit_error" -> 429;
      case "timeout_error" -> 504;
      case "overloaded_error" -> 529;
      default -> 500;
    };
  }
}
