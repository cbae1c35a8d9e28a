package io.reliapi.llm;

import io.reliapi.http.HeldBytes;

/**
 * Reads one provider's streaming format, event by event, into OpenAI-shaped chunks. One decoder serves one
 * stream and keeps what it learns (usage, finish reason, ids) as the stream goes.
 */
public interface StreamDecoder {

  /**
   * Decodes one event; what it means goes to {@code sink}. Throws a {@link io.reliapi.error.GatewayException}
   * (UPSTREAM_INVALID_RESPONSE) when the event cannot be understood.
   */
  void decode(SseEvent event, Sink sink);

  /** Returns the usage the provider reported so far, or null when it reported none. */
  Usage usage();

  /**
   * Returns whether the usage reported so far states the answer's output, so a completed stream is charged it as
   * reported. Anthropic's {@code message_start} states only the prompt (its {@code output_tokens} is a placeholder):
   * until a {@code message_delta} reports the output, the output the gateway counts is charged where it is larger.
   */
  default boolean outputReported() {
    return usage() != null;
  }

  /**
   * Returns whether the usage reported so far states the prompt. An Anthropic stream may leave {@code input_tokens}
   * out (an empty {@code usage}, or one only in {@code message_delta} with the output): its prompt is then charged as
   * the gateway counts it, never as 0.
   */
  default boolean promptReported() {
    return usage() != null;
  }

  /** Returns the finish reason the provider announced (OpenAI's words), or null. */
  String finishReason();

  /**
   * Returns whether every answer the stream carries has its finish reason, so a fault after it loses only what
   * follows (the usage, the end marker). A stream of one answer is finished with its finish reason; OpenAI's
   * {@code n > 1} carries a choice per index, each finishing on its own.
   */
  default boolean finished() {
    return finishReason() != null;
  }

  /**
   * Returns the text of the stream so far that the provider bills as output ({@link OutputText}: text, tool
   * calls, reasoning, refusals), counted when it reports no usage.
   */
  String billedOutput();

  /** Returns the length of {@link #billedOutput()}, without building it (read after every piece of a stream). */
  default int billedLength() {
    return billedOutput().length();
  }

  /**
   * Returns how many events so far said the provider is at work on the answer without adding to it yet: a hosted
   * tool running on its side ({@code response.web_search_call.searching}, an Anthropic {@code ping} while a server
   * tool's result is awaited). After the first token each one starts the idle limit over, as what moves the answer on
   * does ({@link AnswerProgress}); keep-alives that say nothing of the answer do not.
   */
  default long signsOfWork() {
    return 0;
  }

  /**
   * Returns whether the protocol's end marker alone says the answer is whole, without a finish reason before it.
   * Anthropic's {@code message_stop} does not (Anthropic always states a stop reason first, so an end without one
   * is a cut); OpenAI's {@code [DONE]} does (see {@code OpenAiStreamDecoder}).
   */
  default boolean endMarkerCompletes() {
    return false;
  }

  /**
   * Takes what the decoder holds across events (a block it gives whole at its end) from {@code buffered}, the
   * request's share of the memory budget, as it arrives; without room the event fails the stream
   * ({@link HeldBytes#shedAnswer}). Decoders that hold nothing ignore it.
   */
  default void bufferedIn(HeldBytes buffered) {}

  /** Where a decoder reports what an event means. */
  interface Sink {
    void chunk(ChatChunk chunk);

    /** The provider marked the end of a complete answer. */
    void complete();

    /** The provider reported an error inside the stream; {@code status} is the HTTP status it stands for. */
    void providerError(int status, String body);
  }
}
