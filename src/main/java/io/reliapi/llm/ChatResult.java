package io.reliapi.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A finished, non-streaming completion in the neutral model: the first choice's message and why it
 * ended (in OpenAI's words: {@code stop}, {@code length}, {@code tool_calls}, {@code content_filter}).
 *
 * @param content   the assistant's text, or null when it only called tools
 * @param toolCalls the tool calls in OpenAI's shape, if any
 */
public record ChatResult(
    String id,
    String model,
    String role,
    String content,
    String finishReason,
    Usage usage,
    Optional<JsonNode> toolCalls) {}
