package io.reliapi.config;

import java.util.Optional;

/**
 * Tuning of idempotency, which is always active when a request carries a key. {@code forwardHeader} names
 * the header that carries the key upstream, for upstreams that deduplicate themselves.
 */
public record IdempotencyConfig(long ttlS, long coalesceTimeoutS, Optional<String> forwardHeader) {

  public static final long DEFAULT_TTL_S = 86_400;
  public static final long DEFAULT_COALESCE_TIMEOUT_S = 30;

  public static IdempotencyConfig defaults() {
    return new IdempotencyConfig(DEFAULT_TTL_S, DEFAULT_COALESCE_TIMEOUT_S, Optional.empty());
  }
}
