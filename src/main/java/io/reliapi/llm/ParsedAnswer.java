package io.reliapi.llm;

import io.vertx.core.buffer.Buffer;

/**
 * A provider's whole answer as its adapter read it: the completion, the same answer as an OpenAI
 * {@code chat.completion} object (the form the gateway stores, replays and renders; the provider's own bytes
 * where it speaks that protocol), and the text the provider bills as output ({@link OutputText}), counted when
 * the provider reports no usage.
 */
public record ParsedAnswer(Completion completion, Buffer json, String billedOutput) {}
