package io.reliapi.http;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;

/**
 * One request's share of the {@link ByteBudget}: what its buffers took, chunk by chunk as bytes arrived, given back
 * all at once when the request ends. Buffers kept by the cache or the idempotency store outlive the request, but
 * those stores are bounded on their own ({@code cache_max_bytes}, {@code idempotency_max_bytes}). Used on the
 * request's event loop only.
 */
public final class HeldBytes {
  private static final HeldBytes UNTRACKED = new HeldBytes(null);

  private final ByteBudget budget;
  private long held;
  private boolean refused;
  private boolean released;

  public HeldBytes(ByteBudget budget) {
    this.budget = budget;
  }

  /** Returns a share that never refuses and counts nothing: for buffers outside the proxy routes (a login form). */
  public static HeldBytes untracked() {
    return UNTRACKED;
  }

  /** Takes {@code bytes} for a chunk that arrived; false when the budget has no room for them or the request ended. */
  public boolean take(int bytes) {
    if (budget == null) {
      return true;
    }
    if (released) {
      return false;  // the request ended: a late chunk (an abandoned attempt's) must not take what nobody gives back
    }
    if (budget.tryTake(bytes)) {
      held += bytes;
      return true;
    }
    if (!refused) {
      refused = true;
      budget.shedOne();
    }
    return false;
  }

  /** Gives back everything this request took; called once its answer was written or it was abandoned. */
  public void release() {
    released = true;
    if (held > 0) {
      budget.give(held);
      held = 0;
    }
  }

  public long held() {
    return held;
  }

  /** The failure of a request whose buffer could not grow: 503 OVERLOADED, no fault of any target. */
  public static GatewayException overloaded() {
    return GatewayException.of(ErrorCode.OVERLOADED,
        "The gateway is buffering as much as it can hold; try again shortly.").withRetryAfter(1).withTargetBlameless();
  }

  /** The failure of an attempt whose answer could not be buffered: sent, yet not the target's fault. */
  public static GatewayException answerOverloaded() {
    return GatewayException.afterSend(ErrorCode.OVERLOADED,
        "The gateway is buffering as much as it can hold; try again shortly.").withRetryAfter(1).withTargetBlameless();
  }
}
