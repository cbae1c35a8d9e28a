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
  private static final String MESSAGE = "The gateway is buffering as much as it can hold; try again shortly.";

  private final ByteBudget budget;
  private long held;
  private boolean shed;
  private boolean released;

  public HeldBytes(ByteBudget budget) {
    this.budget = budget;
  }

  /** Returns a share that never refuses and counts nothing: for buffers outside the proxy routes (a login form). */
  public static HeldBytes untracked() {
    return UNTRACKED;
  }

  /**
   * Takes {@code bytes} for a chunk that arrived; false when the budget has no room for them or the request ended.
   * A buffer that must not grow sheds its request ({@link #shedBody}, {@link #shedAnswer}); a copy kept on the side
   * is given up instead.
   */
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
    return false;
  }

  /**
   * Gives back, before the request ends, {@code bytes} that a buffer took with {@link #take} and no longer holds (a
   * provider's stream event once read whole); never more than the request holds, nothing once it ended.
   */
  public void freed(long bytes) {
    long back = Math.min(bytes, held);
    if (budget != null && !released && back > 0) {
      budget.give(back);
      held -= back;
    }
  }

  /**
   * Takes {@code bytes} for a buffer that gives them back itself ({@link #giveBack}) when it is done with them, even
   * after the request ended: the copy of an answer that a carried-on request completes after its client left.
   */
  public boolean takeUntilGivenBack(int bytes) {
    return budget == null || budget.tryTake(bytes);
  }

  /** Gives back {@code bytes} taken by {@link #takeUntilGivenBack}. */
  public void giveBack(long bytes) {
    if (budget != null && bytes > 0) {
      budget.give(bytes);
    }
  }

  /**
   * Returns whether the request ended and gave its share back: a stream carried on after that (read on for the
   * duplicates of its key) takes what it still holds {@link #takeUntilGivenBack until given back}.
   */
  public boolean ended() {
    return released;
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

  /**
   * Sheds the request whose body could not be taken: 503 OVERLOADED, nothing sent, no fault of any target. Counted
   * as a request shed for memory once, however many of its buffers were refused.
   */
  public GatewayException shedBody() {
    counted();
    return GatewayException.of(ErrorCode.OVERLOADED, MESSAGE).withRetryAfter(1).withTargetBlameless();
  }

  /** Sheds the attempt whose answer could not be taken: 503 OVERLOADED, sent, yet not the target's fault. */
  public GatewayException shedAnswer() {
    counted();
    return GatewayException.afterSend(ErrorCode.OVERLOADED, MESSAGE).withRetryAfter(1).withTargetBlameless();
  }

  private void counted() {
    if (!shed && budget != null) {
      shed = true;
      budget.shedOne();
    }
  }
}
