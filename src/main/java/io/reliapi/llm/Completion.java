package io.reliapi.llm;

import io.vertx.core.buffer.Buffer;

/**
 * A provider's non-streaming answer: the parsed result, the same answer as an OpenAI {@code chat.completion}
 * object (the form the gateway stores, replays and renders), and the text the provider bills as output
 * ({@link OutputText}), counted when the provider reports no usage.
 */
public record Completion(ChatResult result, Buffer canonical, String billedOutput) {

  /** An answer whose billed output is its content and tool calls. */
  public Completion(ChatResult result, Buffer canonical) {
    this(result, canonical, OutputText.of(result));
  }
}
