package io.reliapi.llm;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * The provider's side of a {@link ChatStream}: its bytes flow while the gateway reads, and the silence it may
 * keep ({@link StreamSilence}, when set) is watched only then, so the clock stops while the reader holds the
 * stream paused. Used on one event loop.
 */
final class ProviderFlow implements StreamSource {
  private final ReadStream<Buffer> source;
  private final Runnable abort;
  private StreamSilence silence;
  /** Whether the gateway stopped reading ({@link #hold}): the provider waits, and its silence is not its own. */
  private boolean held;

  /** {@code abort} resets the provider's connection. */
  ProviderFlow(ReadStream<Buffer> source, Runnable abort) {
    this.source = source;
    this.abort = abort;
  }

  void silence(StreamSilence silence) {
    this.silence = silence;
  }

  /** Starts reading into the handlers; the silence is watched from now on when {@code watch}. */
  void start(Handler<Buffer> data, Handler<Throwable> failure, Runnable end, boolean watch) {
    source.handler(data);
    source.exceptionHandler(failure);
    source.endHandler(v -> end.run());
    held = false;
    if (watch) {
      watch();
    }
    source.resume();
  }

  /** Reads on, watching the silence. */
  @Override
  public void read() {
    held = false;
    watch();
    source.resume();
  }

  /** Stops reading: the provider waits, and so does its clock. */
  @Override
  public void hold() {
    held = true;
    unwatch();
    source.pause();
  }

  /** Resets the provider's connection. */
  @Override
  public void cancel() {
    abort.run();
  }

  /** Starts the silence over (a sign of life). */
  void watch() {
    if (silence != null) {
      silence.restart();
    }
  }

  /**
   * The provider sent bytes: {@code movedOn} when its answer moved on ({@link AnswerProgress}). After the first token
   * only those start the silence over, so a provider whose answer stalled while its connection sends
   * {@code : keep-alive} comments or {@code ping} events still meets {@code stream_idle_timeout_ms}; before it, any
   * byte does (a provider queueing the request may send them meanwhile, and the first-token limit bounds that wait).
   */
  void signOfLife(boolean movedOn) {
    if (silence != null) {
      silence.signOfLife(movedOn);
    }
  }

  void unwatch() {
    if (silence != null) {
      silence.stop();
    }
  }

  /**
   * The first token arrived: the limit between events applies from now on, watched when {@code watch} and the gateway
   * is reading (not {@linkplain #hold held}: read again, it is watched then).
   */
  void tokenArrived(boolean watch) {
    if (silence != null) {
      silence.tokenArrived(watch && !held);
    }
  }
}
