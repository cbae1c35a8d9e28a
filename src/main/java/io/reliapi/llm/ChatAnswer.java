package io.reliapi.llm;

/**
 * What an LLM attempt produced beyond the HTTP answer, attached to its {@link io.reliapi.http.Reply}.
 * Stored and replayed replies carry no answer: routes render them from their bytes, which always hold
 * an OpenAI {@code chat.completion} object.
 */
public sealed interface ChatAnswer {

  /** A whole completion, parsed; {@code costUsd} is its actual cost, null when the model has no price. */
  record Complete(ChatResult result, Double costUsd) implements ChatAnswer {}

  /** A stream that has started (the provider sent its first event); it is read once, by the route. */
  record Streaming(ChatStream stream) implements ChatAnswer {}
}
