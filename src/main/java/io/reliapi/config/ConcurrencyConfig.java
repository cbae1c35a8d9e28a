package io.reliapi.config;

/**
 * A target's limit on attempts in flight (per gateway instance). Adaptive: the limit starts at {@code min}
 * and follows the upstream's latency between {@code min} and {@code max}; fixed: it is {@code max}. An unset
 * {@code min} is {@value #DEFAULT_MIN}, or {@code max} when that is lower: a limit starting at one would serve a
 * streaming target single file while it learns.
 * Attempts over the limit wait in a queue of at most {@code queueSize} for at most {@code queueTimeoutMs}
 * (and never past the request's deadline), interactive clients ahead of batch ones.
 */
public record ConcurrencyConfig(boolean adaptive, int min, int max, int queueSize, long queueTimeoutMs) {
  public static final int DEFAULT_MIN = 8;
  public static final int DEFAULT_MAX = 1000;
  public static final int DEFAULT_QUEUE_SIZE = 100;
  public static final long DEFAULT_QUEUE_TIMEOUT_MS = 1000;

  /** Returns the limit a new limiter starts with. */
  public int initialLimit() {
    return adaptive ? min : max;
  }
}
