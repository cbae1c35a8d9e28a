package io.reliapi.policy.ratelimit;

import io.reliapi.config.ClientConfig;
import io.reliapi.config.RateLimitConfig;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.pipeline.Caller;
import io.reliapi.pipeline.StoreOutage;
import io.reliapi.pipeline.Trace;
import io.reliapi.store.Guarded;
import io.reliapi.store.RateLimiter;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Takes one token from a client's {@code rate_limit} bucket (SPEC §2.1) for each request it makes, on every route:
 * with Redis the bucket is shared by all instances (without Redis, each instance has its own). Clients without a
 * limit, and the anonymous caller of an open gateway, pass untouched.
 */
public final class ClientRateLimit {
  private static final Future<Void> PASS = Future.succeededFuture();

  private final Guarded<RateLimiter> limiter;

  public ClientRateLimit(Guarded<RateLimiter> limiter) {
    this.limiter = limiter;
  }

  /**
   * Takes one of {@code caller}'s tokens; the future fails with 429 {@code RATE_LIMITED} (with {@code Retry-After}
   * the seconds until a token is there) when none is left, and completes at once for a caller without a limit.
   */
  public Future<Void> take(Caller caller, Trace trace) {
    Optional<ClientConfig> client = caller.client();
    Optional<RateLimitConfig> limit = client.flatMap(ClientConfig::rateLimit);
    if (limit.isEmpty()) {
      return PASS;
    }
    String bucket = "client:" + client.get().name();
    return StoreOutage.run(limiter, trace, l -> l.acquire(bucket, limit.get())).compose(taken -> taken.granted()
        ? PASS
        : Future.failedFuture(GatewayException.of(ErrorCode.RATE_LIMITED,
                "This client is over its rate limit; retry after the time in Retry-After.")
            .withRetryAfter(retryAfterS(taken.retryAfterMs()))));
  }

  /** Returns whole seconds, rounded up, never 0: a client told "0" would retry at once and fail again. */
  static long retryAfterS(long waitMs) {
    return Math.max(1, (waitMs + 999) / 1000);
  }
}
