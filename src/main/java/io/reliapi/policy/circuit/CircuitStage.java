package io.reliapi.policy.circuit;

import io.reliapi.config.DeploymentConfig;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Reply;
import io.reliapi.pipeline.Chain;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.Stage;
import io.reliapi.policy.Outcome;
import io.reliapi.policy.UpstreamTime;
import io.reliapi.time.Clock;
import io.vertx.core.Future;

/**
 * Guards every single attempt with its breaker (its target's, or its deployment's when one was chosen for
 * it): while the breaker is open the attempt fails fast with 503 {@code CIRCUIT_OPEN} and {@code Retry-After} =
 * cooldown left, and the upstream is not called; otherwise the attempt's outcome is recorded on the breaker,
 * with its time for the slow-call rule (from the moment the call was sent, {@link io.reliapi.pipeline.SentAt})
 * unless that time is the client's ({@link UpstreamTime}).
 */
public final class CircuitStage implements Stage {
  private final CircuitBreakers breakers;
  private final Clock clock;

  public CircuitStage(CircuitBreakers breakers, Clock clock) {
    this.breakers = breakers;
    this.clock = clock;
  }

  @Override
  public Future<Reply> handle(Exchange exchange, Chain next) {
    var found = breakers.of(exchange.target().name(), exchange.deployment().map(DeploymentConfig::name).orElse(null));
    if (found.isEmpty()) {
      return next.proceed(exchange);
    }
    TargetBreaker breaker = found.get();
    long permit = breaker.acquire();
    exchange.trace().breaker(exchange.target().name(), breaker.state(), permit >= 0);
    if (permit < 0) {
      return Future.failedFuture(refused(breaker.retryAfterS()));
    }
    long start = clock.nanoTime();
    // A call whose time is the client's (a streamed upload) is never a slow call: it is recorded as instant.
    boolean timed = UpstreamTime.measures(exchange);
    return next.proceed(exchange).andThen(result -> breaker.record(permit,
        BreakerVerdict.of(Outcome.of(result), exchange.context().cancellation().cancelled()),
        timed ? exchange.sent().elapsed(start, clock.nanoTime()) : 0));
  }

  /** Returns the failure of an attempt (or a request) an open breaker refused, to be tried after {@code retryAfterS}. */
  public static GatewayException refused(long retryAfterS) {
    return GatewayException.of(ErrorCode.CIRCUIT_OPEN, "The target is failing; its circuit breaker is open.")
        .withRetryAfter(retryAfterS);
  }
}
