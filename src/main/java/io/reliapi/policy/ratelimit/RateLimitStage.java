package io.reliapi.policy.ratelimit;

import io.reliapi.http.Reply;
import io.reliapi.pipeline.Chain;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.Stage;
import io.vertx.core.Future;

/**
 * Holds each client to its {@code rate_limit} ({@link ClientRateLimit}): over the limit, 429 {@code RATE_LIMITED}
 * before anything else happens to the request. It runs before idempotency, so a rejected request never touches
 * its key.
 */
public final class RateLimitStage implements Stage {
  private final ClientRateLimit limit;

  public RateLimitStage(ClientRateLimit limit) {
    this.limit = limit;
  }

  @Override
  public Future<Reply> handle(Exchange exchange, Chain next) {
    Future<Void> taken = limit.take(exchange.context().caller(), exchange.trace());
    // A caller without a limit is handed on as it is, with no composition of its answer.
    return taken.succeeded() ? next.proceed(exchange) : taken.compose(v -> next.proceed(exchange));
  }
}
