package io.reliapi.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * A finished answer in the provider-neutral model, whichever provider gave it and however it travelled (whole,
 * or assembled from a stream): the first choice's text and tool calls, why it ended (in OpenAI's words:
 * {@code stop}, {@code length}, {@code tool_calls}, {@code content_filter}; and Anthropic's {@code pause_turn}, a
 * long turn the server paused, which OpenAI's forms write as {@code stop}: {@link ChatCompletion#openAiFinish}), its
 * usage and its cost.
 *
 * @param content   the assistant's text, or null when it only called tools
 * @param toolCalls the tool calls in OpenAI's shape, if any
 * @param usage     the tokens it consumed; null while unknown (a provider that reported none, before counting)
 * @param costUsd   what it cost in USD; null when unpriced or not yet priced
 * @param reasoning the model's visible reasoning, block by block, before its text (Anthropic's thinking blocks
 *                  with their signatures, OpenAI-protocol servers' {@code reasoning_content}); usually empty. An
 *                  Anthropic block that came after another block is in {@code items} too, at its place
 * @param refusal   the model's refusal to answer, in its words (OpenAI's {@code message.refusal}), or null
 * @param stopSequence the stop sequence the answer ended at ({@code stop}), or null when none or not known
 * @param items     the answer's items in its provider's own form, at their places in its text, which only a client of
 *                  that protocol is shown ({@link ProtocolItems}); usually empty
 */
public record Completion(
    String id,
    String model,
    String content,
    Optional<JsonNode> toolCalls,
    String finishReason,
    Usage usage,
    Double costUsd,
    List<ChatChunk.Reasoning> reasoning,
    String refusal,
    String stopSequence,
    List<ProtocolItems.Placed> items) {

  public Completion {
    reasoning = List.copyOf(reasoning);
    items = List.copyOf(items);
  }

  /** An answer without protocol items. */
  public Completion(String id, String model, String content, Optional<JsonNode> toolCalls, String finishReason,
      Usage usage, Double costUsd, List<ChatChunk.Reasoning> reasoning, String refusal, String stopSequence) {
    this(id, model, content, toolCalls, finishReason, usage, costUsd, reasoning, refusal, stopSequence, List.of());
  }

  /** An answer that did not end at a stop sequence it names. */
  public Completion(String id, String model, String content, Optional<JsonNode> toolCalls, String finishReason,
      Usage usage, Double costUsd, List<ChatChunk.Reasoning> reasoning, String refusal) {
    this(id, model, content, toolCalls, finishReason, usage, costUsd, reasoning, refusal, null);
  }

  /** An answer that refused nothing. */
  public Completion(String id, String model, String content, Optional<JsonNode> toolCalls, String finishReason,
      Usage usage, Double costUsd, List<ChatChunk.Reasoning> reasoning) {
    this(id, model, content, toolCalls, finishReason, usage, costUsd, reasoning, null);
  }

  /** An answer without visible reasoning. */
  public Completion(String id, String model, String content, Optional<JsonNode> toolCalls, String finishReason,
      Usage usage, Double costUsd) {
    this(id, model, content, toolCalls, finishReason, usage, costUsd, List.of());
  }

  public Completion withUsage(Usage usage) {
    return new Completion(id, model, content, toolCalls, finishReason, usage, costUsd, reasoning, refusal,
        stopSequence, items);
  }

  public Completion withCost(Double costUsd) {
    return new Completion(id, model, content, toolCalls, finishReason, usage, costUsd, reasoning, refusal,
        stopSequence, items);
  }

  public Completion withItems(List<ProtocolItems.Placed> items) {
    return new Completion(id, model, content, toolCalls, finishReason, usage, costUsd, reasoning, refusal,
        stopSequence, items);
  }
}
