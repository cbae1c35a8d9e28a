package io.reliapi.llm;

import io.vertx.core.buffer.Buffer;

/**
 * A provider's non-streaming answer: the parsed result and the same answer as an OpenAI
 * {@code chat.completion} object, the form the gateway stores, replays and renders.
 */
public record Completion(ChatResult result, Buffer canonical) {}
