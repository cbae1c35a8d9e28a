package io.reliapi.policy.fallback;

import io.reliapi.config.GatewayConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.http.Reply;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.Chain;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.Stage;
import io.reliapi.policy.Outcome;
import io.reliapi.policy.ResendSafety;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Sends the request down the rest of the pipeline once per target of its fallback chain, moving on while
 * {@link FallbackPolicy} says so. Each target runs its own retries and breaker below this stage. When the
 * whole chain fails, the last outcome is the answer.
 */
public final class FallbackStage implements Stage {
  private final Map<String, List<TargetConfig>> chains = new HashMap<>();
  private final Clock clock;
  private final GatewayEvents events;

  public FallbackStage(GatewayConfig config, Clock clock, GatewayEvents events) {
    this.clock = clock;
    this.events = events;
    for (String name : config.targets().keySet()) {
      chains.put(name, FallbackChain.of(config.targets(), name));
    }
  }

  @Override
  public Future<Reply> handle(Exchange exchange, Chain next) {
    List<TargetConfig> chain = FallbackChain.servable(
        chains.getOrDefault(exchange.target().name(), List.of(exchange.target())), exchange);
    if (chain.size() == 1) {
      return next.proceed(exchange);
    }
    Promise<Reply> done = Promise.promise();
    tryTarget(exchange, next, chain, 0, done);
    return done.future();
  }

  private void tryTarget(Exchange original, Chain next, List<TargetConfig> chain, int index, Promise<Reply> done) {
    TargetConfig target = chain.get(index);
    Exchange exchange = index == 0 ? original : original.withTarget(target);
    exchange.trace().answeredBy(target.name());
    next.proceed(exchange).onComplete(result -> {
      Outcome outcome = Outcome.of(result);
      var context = exchange.context();
      long msLeft = TimeUnit.NANOSECONDS.toMillis(context.deadlineNanos() - clock.nanoTime());
      var decision = FallbackPolicy.decide(outcome, ResendSafety.of(exchange), index + 1 < chain.size(), msLeft,
          context.cancellation().cancelled());
      if (decision != FallbackPolicy.Decision.NEXT) {
        outcome.toFuture().onComplete(done);
        return;
      }
      outcome.discard();
      TargetConfig following = chain.get(index + 1);
      events.fallback(target.name(), following.name());
      exchange.trace().fallbackTarget(following.name());
      tryTarget(original, next, chain, index + 1, done);
    });
  }
}
