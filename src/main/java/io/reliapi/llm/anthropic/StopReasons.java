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
}
