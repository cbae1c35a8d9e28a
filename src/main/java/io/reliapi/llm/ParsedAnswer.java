package io.reliapi.llm;

import io.vertx.core.buffer.Buffer;

/**
 * A provider's whole answer as its adapter read it: the completion, the same answer as an OpenAI
 * {@code chat.completion} object (the form the gateway stores, replays and renders; the provider's own bytes
 * where it speaks that protocol), and the text the provider bills as output ({@link OutputText}), counted when
 * the provider reports no usage, or a usage that does not state the output ({@code outputReported} false: Gemini
 * omits a zero {@code candidatesTokenCount}, and a compatible server may omit it altogether).
 */
public record ParsedAnswer(Completion completion, Buffer json, String billedOutput, boolean outputReported) {

  /** An answer whose usage, where it has one, states its output. */
  public ParsedAnswer(Completion completion, Buffer json, String billedOutput) {
    this(completion, json, billedOutput, true);
  }
}
