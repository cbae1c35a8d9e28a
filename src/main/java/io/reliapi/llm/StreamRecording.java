package io.reliapi.llm;

import io.vertx.core.buffer.Buffer;

/**
 * What a {@link ChatStream} amounted to once it ended, for the stages that keep answers (idempotency, cache).
 * A stream is kept as the {@code chat.completion} it adds up to, so one stored answer replays both as a
 * stream and as a whole answer.
 */
public sealed interface StreamRecording {

  /**
   * The stream completed; {@code completion} holds its text, tool calls, finish reason and usage, and
   * {@code json} the same as a {@code chat.completion} object, the form it is stored in.
   */
  record Kept(Completion completion, Buffer json) implements StreamRecording {}

  /**
   * The stream completed, but its answer is not kept: it is larger than the limit, or carries what one stored
   * completion cannot replay faithfully (several choices, logprobs, a refusal, reasoning or other delta fields).
   */
  record NotKept() implements StreamRecording {}

  /** The stream broke off (or its client went away): there is no complete answer. */
  record Broken(Throwable cause) implements StreamRecording {}
}
