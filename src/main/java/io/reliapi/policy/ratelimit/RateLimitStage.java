package io.reliapi.policy.ratelimit;

import io.reliapi.config.ClientConfig;
import io.reliapi.config.RateLimitConfig;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Reply;
import io.reliapi.pipeline.Chain;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.Stage;
import io.reliapi.pipeline.StoreOutage;
import io.reliapi.store.Guarded;
import io.reliapi.store.RateLimiter;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Holds each client to its {@code rate_limit} (SPEC §2.1): every request takes one token from the
 * client's bucket, which with Redis is shared by all instances (without Redis, each instance has its
 * own). Over the limit: 429 {@code RATE_LIMITED}, with {@code Retry-After} the seconds until a token is
 * there. Clients without a limit, and the anonymous caller of an open gateway, pass untouched. It runs
 * before idempotency, so a rejected request never touches its key.
 */
public final class RateLimitStage implements Stage {
  private final Guarded<RateLimiter> limiter;

  public RateLimitStage(Guarded<RateLimiter> limiter) {
    this.limiter = limiter;
  }

  @Override
  public Future<Reply> handle(Exchange exchange, Chain next) {
    Optional<ClientConfig> client = exchange.context().caller().client();
    Optional<RateLimitConfig> limit = client.flatMap(ClientConfig::rateLimit);
    if (limit.isEmpty()) {
      return next.proceed(exchange);
    }
    String bucket = "client:" + client.get().name();
    return StoreOutage.run(limiter, exchange.trace(), l -> l.acquire(bucket, limit.get())).compose(taken -> {
      if (taken.granted()) {
        return next.proceed(exchange);
      }
      return Future.failedFuture(GatewayException.of(ErrorCode.RATE_LIMITED,
              "This client is over its rate limit; retry after the time in Retry-After.")
          .withRetryAfter(retryAfterS(taken.retryAfterMs())));
    });
  }

  /** Returns whole seconds, rounded up, never 0: a client told "0" would retry at once and fail again. */
  static long retryAfterS(long waitMs) {
    return Math.max(1, (waitMs + 999) / 1000);
  }
}
