package io.reliapi.llm;

import io.reliapi.error.GatewayException;
import io.reliapi.http.HeldBytes;
import io.vertx.core.buffer.Buffer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Reads a provider's stream for a {@link ChatStream}: its bytes as events into the provider's decoder, and the
 * ways its side ends, breaks or keeps silent as the stream's faults ({@link StreamFaults}). Reads nothing more
 * once the stream ended. One event may be as large as a whole answer ({@code server.max_response_bytes}: a
 * {@code web_fetch} result carrying a PDF comes in one), and never less than 1 MiB ({@link #eventLimit}); what the
 * parser holds of the event being read is taken from the request's share of the memory budget as bytes arrive
 * ({@link HeldEvent}) and given back once it is read whole (what the decoder then holds of it, it takes itself) or
 * let go, so a provider's endless event is shed by the budget before it reaches the limit.
 * Used on one event loop.
 */
final class ProviderReader {
  /**
   * The least limit on one event, whatever {@code max_response_bytes} says: an operator who lowers that for
   * {@code /proxy/http} must not break long streams, whose last event (the Responses API's {@code response.completed})
   * repeats the whole answer; 1 MiB was the fixed limit before an event could be as large as an answer.
   */
  private static final int MIN_EVENT_BYTES = 1 << 20;

  private final ProviderFlow flow;
  private final StreamDecoder decoder;
  private final StreamDecoder.Sink sink;
  private final AnswerProgress progress;
  private final SseParser parser;
  private final BooleanSupplier ended;
  private final Consumer<GatewayException> fail;
  private final IntConsumer eventBytes;
  private final HeldEvent held = new HeldEvent(HeldBytes.untracked());

  /**
   * Decoded events of up to {@code maxEventBytes} (at least 1 MiB) go to {@code sink} (their sizes first to
   * {@code eventBytes}) until {@code ended}; faults go to {@code fail}.
   */
  ProviderReader(ProviderFlow flow, StreamDecoder decoder, StreamDecoder.Sink sink, BooleanSupplier ended,
      Consumer<GatewayException> fail, IntConsumer eventBytes, long maxEventBytes) {
    this.flow = flow;
    this.decoder = decoder;
    this.sink = sink;
    this.progress = new AnswerProgress(decoder, sink);
    this.ended = ended;
    this.fail = fail;
    this.eventBytes = eventBytes;
    this.parser = new SseParser(eventLimit(maxEventBytes), this::onEvent);
  }

  /** Returns the limit on one event of a stream whose answer may be {@code maxResponseBytes}. */
  static int eventLimit(long maxResponseBytes) {
    return Math.toIntExact(Math.max(MIN_EVENT_BYTES, maxResponseBytes));
  }

  /** Takes the bytes of the event being read from {@code buffered}, the request's share of the memory budget. */
  void bufferedIn(HeldBytes buffered) {
    held.bufferedIn(buffered);
  }

  /**
   * The provider's call is over (the stream ended, or a continuation took over): its partial event is let go, the
   * memory with the count.
   */
  void letGo() {
    parser.reset();
    held.holding(0);
  }

  /** Starts reading; the silence is watched from now on when {@code watch}. */
  void start(boolean watch) {
    flow.start(this::onData, this::onFailure, this::onEnd, watch);
  }

  /** The provider kept silent past its limit, before the first token or after it. */
  void onSilence(boolean afterToken) {
    if (!ended.getAsBoolean()) {
      fail.accept(StreamFaults.silence(afterToken));
    }
  }

  private void onData(Buffer bytes) {
    if (ended.getAsBoolean()) {
      return;
    }
    progress.before(parser);
    try {
      parser.feed(bytes);
    } catch (RuntimeException e) {
      fail.accept(StreamFaults.undecodable(e));
      return;
    }
    if (ended.getAsBoolean()) {
      return;
    }
    flow.signOfLife(progress.movedOn(parser));
    if (!held.holding(parser.pendingBytes())) {
      fail.accept(held.shed());
    }
  }

  private void onEvent(SseEvent event) {
    held.holding(0); // what the decoder keeps of it, it takes itself
    if (ended.getAsBoolean()) {
      return;
    }
    eventBytes.accept(event.data().length());
    decoder.decode(event, progress);
  }

  /**
   * The provider ended its response. After a finish reason the answer is complete even without the protocol's
   * end marker ({@code data: [DONE]}, {@code message_stop}); before one it was cut off.
   */
  private void onEnd() {
    if (ended.getAsBoolean()) {
      return;
    }
    if (decoder.finished()) {
      sink.complete();
      return;
    }
    fail.accept(StreamFaults.cutOff());
  }

  private void onFailure(Throwable cause) {
    if (!ended.getAsBoolean()) {
      fail.accept(StreamFaults.broken(cause));
    }
  }
}
