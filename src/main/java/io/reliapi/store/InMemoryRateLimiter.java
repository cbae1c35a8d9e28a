package io.reliapi.store;

import io.reliapi.config.RateLimitConfig;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The token buckets of one gateway instance. Buckets are keyed by client name, a set bounded by the
 * config, so they are never evicted.
 */
public final class InMemoryRateLimiter implements RateLimiter {
  private final Clock clock;
  private final ConcurrentHashMap<String, TokenBucket.State> buckets = new ConcurrentHashMap<>();

  public InMemoryRateLimiter(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Future<TokenBucket.Taken> acquire(String key, RateLimitConfig limit) {
    TokenBucket.Taken[] taken = new TokenBucket.Taken[1];
    // Monotonic time: this bucket never leaves the process, so it need not agree with other clocks.
    double nowMs = clock.nanoTime() / 1e6;
    buckets.compute(key, (k, state) -> {
      taken[0] = TokenBucket.take(state, nowMs, limit.rps(), limit.burst());
      return taken[0].state();
    });
    return Future.succeededFuture(taken[0]);
  }
}
