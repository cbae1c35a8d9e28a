package io.reliapi.llm;

import io.reliapi.pipeline.Payload;

/**
 * The payload of an exchange that counts the prompt of {@code request} (Anthropic's {@code count_tokens}): free,
 * not a chat, so no cost stage acts on it. With {@code byProvider} its call asks the target's provider
 * ({@link Provider#countCall}), in that provider's own protocol, so it stays on its own target; without, or
 * where the provider fails, the gateway counts by itself.
 */
public record TokenCount(ChatRequest request, boolean byProvider) implements Payload {}
