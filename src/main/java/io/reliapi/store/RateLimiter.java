package io.reliapi.store;

import io.reliapi.config.RateLimitConfig;
import io.vertx.core.Future;

/**
 * Token buckets by name, shared by every event loop (and, with Redis, by every instance, so N instances
 * together allow what one would). A bucket refills at {@code rps} tokens a second up to {@code burst};
 * a bucket never used before starts full. Futures may complete on any thread; a store that cannot be
 * reached fails them with {@link StoreUnavailableException}.
 */
public interface RateLimiter {

  /** Takes one token from bucket {@code key}, if there is one; otherwise says how long until there is. */
  Future<TokenBucket.Taken> acquire(String key, RateLimitConfig limit);
}
