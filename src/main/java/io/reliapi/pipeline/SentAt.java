package io.reliapi.pipeline;

/**
 * When an attempt's call left for its upstream. Stages that judge the upstream by the time an attempt took
 * (the breaker's slow-call rule, the adaptive concurrency limit) sit above stages that may wait before the
 * call is sent (an LLM attempt's rate-limit and budget reservations, which go to Redis); counted from their
 * own start, a slow Redis would make a healthy upstream look slow. Each attempt has its own; written and read
 * on the request's event loop only.
 */
public final class SentAt {
  private long sentNanos = Long.MIN_VALUE;

  /** Notes that the call is being sent now. */
  public void mark(long nowNanos) {
    sentNanos = nowNanos;
  }

  /**
   * Returns the upstream's part of an attempt a stage started at {@code startNanos}: from the send when the
   * call was sent after that start, else (never sent) the stage's whole time.
   */
  public long elapsed(long startNanos, long nowNanos) {
    return nowNanos - Math.max(startNanos, sentNanos);
  }
}
