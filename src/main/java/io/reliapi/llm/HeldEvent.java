package io.reliapi.llm;

import io.reliapi.error.GatewayException;
import io.reliapi.http.HeldBytes;

/**
 * What a provider's event being read takes from the request's share of the memory budget, kept in step with what its
 * reader holds of it as bytes arrive: more taken as it grows, given back as it is let go. Once the request ended (a
 * keyed stream read on for the duplicates waiting on it, its client gone), what it holds is taken until given back
 * here, as a stored copy's is: the share refuses everything then, and an event split across chunks must not shed the
 * stream the duplicates wait for. Its reader always lets it go when the stream ends. Used on one event loop.
 */
final class HeldEvent {
  private HeldBytes buffered;
  /** Taken from the request's share: given back with it when the request ends. */
  private int taken;
  /** Taken after the request ended (a stream read on for its key's duplicates): given back here. */
  private int kept;

  HeldEvent(HeldBytes buffered) {
    this.buffered = buffered;
  }

  /** Takes from {@code buffered} from now on (set before anything was taken). */
  void bufferedIn(HeldBytes buffered) {
    this.buffered = buffered;
  }

  /** Brings what was taken to {@code bytes}, what the reader now holds; false when the budget has no room for more. */
  boolean holding(int bytes) {
    if (buffered.ended()) {
      taken = 0; // the request's end gave those back
    }
    int now = taken + kept;
    if (bytes < now) {
      int back = Math.min(now - bytes, kept);
      buffered.giveBack(back);
      kept -= back;
      buffered.freed(now - bytes - back);
      taken -= now - bytes - back;
    } else if (bytes > now && buffered.ended()) {
      if (!buffered.takeUntilGivenBack(bytes - now)) {
        return false;
      }
      kept += bytes - now;
    } else if (bytes > now) {
      if (!buffered.take(bytes - now)) {
        return false;
      }
      taken += bytes - now;
    }
    return true;
  }

  /**
   * Forgets what was taken from the request's share without giving it back: the bytes it counted went to a holder
   * that gives them back with that share. What was taken after the request ended is given back now: that holder
   * counts on the share alone, and a stream read on drops what it reads at once.
   */
  void handedOver() {
    buffered.giveBack(kept);
    kept = 0;
    taken = 0;
  }

  /** The refusal of an event the budget has no room for: 503 OVERLOADED, no fault of the target. */
  GatewayException shed() {
    return buffered.shedAnswer();
  }
}
