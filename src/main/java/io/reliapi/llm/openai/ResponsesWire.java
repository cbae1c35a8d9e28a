package io.reliapi.llm.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.llm.ChatJson;
import io.reliapi.llm.ContextOverflow;
import io.reliapi.llm.ProviderRefusal;
import io.reliapi.llm.Usage;

/** What a Responses API answer and its stream have in common: usage, why it ended, its errors. */
final class ResponsesWire {
  private ResponsesWire() {}

  /** Reads {@code usage} ({@code input_tokens}, {@code output_tokens}); null when absent or incomplete. */
  static Usage usage(JsonNode usage) {
    if (!usage.path("input_tokens").canConvertToLong() || !usage.path("output_tokens").canConvertToLong()) {
      return null;
    }
    return Usage.reported(usage.get("input_tokens").asLong(), usage.get("output_tokens").asLong())
        .withCache(usage.path("input_tokens_details").path("cached_tokens").asLong(0), 0)
        .withReasoning(usage.path("output_tokens_details").path("reasoning_tokens").asLong(0));
  }

  /**
   * Returns {@code usage} (null when the provider reported none) with the answer's {@code web_search_call} items
   * counted as web searches, which OpenAI bills per call on top of the tokens; the gateway's one per-search fee
   * ({@code ToolFees.WEB_SEARCH_USD}) prices them.
   */
  static Usage withSearches(Usage usage, long searches) {
    return usage == null || searches == 0 ? usage : usage.withWebSearches(searches);
  }

  /** Returns whether an output item is a web search OpenAI ran (and bills per call). */
  static boolean search(JsonNode item) {
    return item.path("type").asText("").equals("web_search_call");
  }

  /**
   * Returns why a finished response ended, in OpenAI's chat words: {@code tool_calls} or {@code stop} when it
   * completed; {@code content_filter} or {@code length} when it is incomplete (any other reason for stopping
   * short counts as {@code length}: the answer was cut); null for any other status.
   */
  static String finishReason(JsonNode response, boolean calledTools) {
    return fromStatus(response.path("status").asText(""), response, calledTools);
  }

  /**
   * Returns why a stream ended at its terminal {@code event} ({@code response.completed} or
   * {@code response.incomplete}): the response's status, else the one the event's type states, since a server
   * that leaves {@code status} out of the terminal event has still said how the answer ended.
   */
  static String finishReason(String event, JsonNode response, boolean calledTools) {
    String status = response.path("status").asText(event.substring("response.".length()));
    return fromStatus(status, response, calledTools);
  }

  private static String fromStatus(String status, JsonNode response, boolean calledTools) {
    return switch (status) {
      case "completed" -> calledTools ? "tool_calls" : "stop";
      case "incomplete" -> response.path("incomplete_details").path("reason").asText("").equals("content_filter")
          ? "content_filter" : "length";
      default -> null;
    };
  }

  /**
   * Returns OpenAI's error body naming only the error's type and code (never its message); a request the message
   * calls too long for the model gets OpenAI's code for it, whatever code it had, so it is refused, worded and
   * falls back as one.
   */
  static String errorBody(JsonNode error) {
    var out = ChatJson.object();
    var inner = out.putObject("error");
    inner.set("type", error.path("type").isTextual() ? error.get("type") : null);
    if (ProviderRefusal.saysContextLength(error.path("message").asText(""))) {
      inner.put("code", ContextOverflow.CODE);
    } else if (error.path("code").isTextual()) {
      inner.set("code", error.get("code"));
    } else {
      inner.putNull("code");
    }
    return out.toString();
  }
}
