package io.reliapi.llm;

import io.reliapi.time.IdleTimer;
import io.vertx.core.Vertx;

/**
 * The silences a provider's stream may keep while the gateway reads it: one limit until the first content token
 * (none when a first-token timer bounds that stretch instead) and another between events after it. Only the
 * limit of the current stretch is watched; it stops while the reader holds the stream paused. I/O timeouts of
 * the stream's own connection, in real time. Used on one event loop.
 */
final class StreamSilence {
  private final IdleTimer beforeToken;
  private final IdleTimer afterToken;
  private IdleTimer current;

  /**
   * {@code beforeTokenMs} of 0 or less leaves the stretch before the first token without a silence limit;
   * {@code onSilence} is told whether the first token had arrived.
   */
  StreamSilence(Vertx vertx, long beforeTokenMs, long afterTokenMs, java.util.function.Consumer<Boolean> onSilence) {
    this.beforeToken = beforeTokenMs > 0 ? new IdleTimer(vertx, beforeTokenMs, () -> onSilence.accept(false)) : null;
    this.afterToken = new IdleTimer(vertx, afterTokenMs, () -> onSilence.accept(true));
    this.current = beforeToken;
  }

  /** Starts the current silence over (a sign of life, or the reader takes chunks again). */
  void restart() {
    if (current != null) {
      current.restart();
    }
  }

  /**
   * Bytes arrived; {@code movedOn} when the answer moved on with them, which alone counts once the first token came.
   * Starts the silence over only while it is watched: reading them may have held the stream for its reader (the
   * client's queue full, or nobody reading yet), and a held provider is not silent.
   */
  void signOfLife(boolean movedOn) {
    if (current != null && (movedOn || current != afterToken)) {
      current.touch();
    }
  }

  void stop() {
    if (current != null) {
      current.stop();
    }
  }

  /** The first token arrived: from now on the limit between events applies; {@code watch} says whether to arm it. */
  void tokenArrived(boolean watch) {
    stop();
    current = afterToken;
    if (watch) {
      current.restart();
    }
  }
}
