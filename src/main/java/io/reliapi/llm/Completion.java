package io.reliapi.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A finished answer in the provider-neutral model, whichever provider gave it and however it travelled (whole,
 * or assembled from a stream): the first choice's text and tool calls, why it ended (in OpenAI's words:
 * {@code stop}, {@code length}, {@code tool_calls}, {@code content_filter}), its usage and its cost.
 *
 * @param content   the assistant's text, or null when it only called tools
 * @param toolCalls the tool calls in OpenAI's shape, if any
 * @param usage     the tokens it consumed; null while unknown (a provider that reported none, before counting)
 * @param costUsd   what it cost in USD; null when unpriced or not yet priced
 */
public record Completion(
    String id,
    String model,
    String content,
    Optional<JsonNode> toolCalls,
    String finishReason,
    Usage usage,
    Double costUsd) {

  public Completion withUsage(Usage usage) {
    return new Completion(id, model, content, toolCalls, finishReason, usage, costUsd);
  }

  public Completion withCost(Double costUsd) {
    return new Completion(id, model, content, toolCalls, finishReason, usage, costUsd);
  }
}
