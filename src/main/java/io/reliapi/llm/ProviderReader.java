package io.reliapi.llm;

import io.reliapi.error.GatewayException;
import io.vertx.core.buffer.Buffer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Reads a provider's stream for a {@link ChatStream}: its bytes as events into the provider's decoder, and the
 * ways its side ends, breaks or keeps silent as the stream's faults ({@link StreamFaults}). Reads nothing more
 * once the stream ended. Used on one event loop.
 */
final class ProviderReader {
  private static final int MAX_EVENT_BYTES = 1 << 20;

  private final ProviderFlow flow;
  private final StreamDecoder decoder;
  private final StreamDecoder.Sink sink;
  private final SseParser parser = new SseParser(MAX_EVENT_BYTES, this::onEvent);
  private final BooleanSupplier ended;
  private final Consumer<GatewayException> fail;
  private final IntConsumer eventBytes;

  /**
   * Decoded events go to {@code sink} (their sizes first to {@code eventBytes}) until {@code ended}; faults go
   * to {@code fail}.
   */
  ProviderReader(ProviderFlow flow, StreamDecoder decoder, StreamDecoder.Sink sink, BooleanSupplier ended,
      Consumer<GatewayException> fail, IntConsumer eventBytes) {
    this.flow = flow;
    this.decoder = decoder;
    this.sink = sink;
    this.ended = ended;
    this.fail = fail;
    this.eventBytes = eventBytes;
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
    flow.watch();
    try {
      parser.feed(bytes);
    } catch (RuntimeException e) {
      fail.accept(StreamFaults.undecodable(e));
    }
  }

  private void onEvent(SseEvent event) {
    if (ended.getAsBoolean()) {
      return;
    }
    eventBytes.accept(event.data().length());
    decoder.decode(event, sink);
  }

  /**
   * The provider ended its response. After a finish reason the answer is complete even without the protocol's
   * end marker ({@code data: [DONE]}, {@code message_stop}); before one it was cut off.
   */
  private void onEnd() {
    if (ended.getAsBoolean()) {
      return;
    }
    if (decoder.finishReason() != null) {
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
