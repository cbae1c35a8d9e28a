package io.reliapi.llm;

import io.reliapi.error.GatewayException;
import io.reliapi.http.HeldBytes;

/**
 * What a provider's event being read takes from the request's share of the memory budget, kept in step with what its
 * reader holds of it as bytes arrive: more taken as it grows, given back as it is let go. Used on one event loop.
 */
final class HeldEvent {
  private HeldBytes buffered;
  private int taken;

  HeldEvent(HeldBytes buffered) {
    this.buffered = buffered;
  }

  /** Takes from {@code buffered} from now on (set before anything was taken). */
  void bufferedIn(HeldBytes buffered) {
    this.buffered = buffered;
  }

  /** Brings what was taken to {@code bytes}, what the reader now holds; false when the budget has no room for more. */
  boolean holding(int bytes) {
    if (bytes < taken) {
      buffered.freed(taken - bytes);
    } else if (bytes > taken && !buffered.take(bytes - taken)) {
      return false;
    }
    taken = bytes;
    return true;
  }

  /** Forgets what was taken without giving it back: the bytes it counted went to a holder that gives them back. */
  void handedOver() {
    taken = 0;
  }

  /** The refusal of an event the budget has no room for: 503 OVERLOADED, no fault of the target. */
  GatewayException shed() {
    return buffered.shedAnswer();
  }
}
