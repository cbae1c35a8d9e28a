package io.reliapi.policy.fallback;

import io.reliapi.config.GatewayConfig;
import io.reliapi.config.LlmFaultRules;
import io.reliapi.config.TargetConfig;
import io.reliapi.http.Body;
import io.reliapi.http.Reply;
import io.reliapi.llm.ProviderRefusal;
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
import java.util.Optional;

/**
 * Sends the request down the rest of the pipeline once per target of its fallback chain, moving on while
 * {@link FallbackPolicy} says so. Each target runs its own retries and breaker below this stage. A provider's
 * refusal of the request itself is met by {@link FallbackPolicy#refused}: a request too long for the model
 * continues on the target's {@code llm.context_fallback} chain instead. When the whole chain fails, the last
 * outcome is the answer.
 */
public final class FallbackStage implements Stage {
  private final Map<String, List<TargetConfig>> chains = new HashMap<>();
  private final Map<String, TargetConfig> targets;
  private final Clock clock;
  private final GatewayEvents events;

  public FallbackStage(GatewayConfig config, Clock clock, GatewayEvents events) {
    this.clock = clock;
    this.events = events;
    this.targets = config.targets();
    for (String name : config.targets().keySet()) {
      chains.put(name, FallbackChain.of(config.targets(), name));
    }
  }

  @Override
  public Future<Reply> handle(Exchange exchange, Chain next) {
    List<TargetConfig> chain = FallbackChain.servable(
        chains.getOrDefault(exchange.target().name(), List.of(exchange.target())), exchange);
    if (chain.size() == 1 && rules(exchange.target()).contextFallback().isEmpty()) {
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
      long msLeft = context.msLeft(clock.nanoTime());
      boolean stop = msLeft <= 0 || context.cancellation().cancelled();
      Optional<ProviderRefusal> refusal = target.isLlm() ? refusal(outcome) : Optional.empty();
      List<TargetConfig> following = chain;
      String reason;
      if (refusal.isPresent()) {
        FallbackPolicy.Refused refused = FallbackPolicy.refused(refusal.get(), rules(target));
        if (refused == FallbackPolicy.Refused.CONTEXT_FALLBACK) {
          following = FallbackChain.servable(FallbackChain.continuedBy(targets, chain.subList(0, index + 1),
              rules(target).contextFallback()), original);
        }
        if (refused == FallbackPolicy.Refused.ANSWER || stop || index + 1 >= following.size()) {
          outcome.toFuture().onComplete(done);
          return;
        }
        reason = refusal.get().label();
      } else {
        var decision = FallbackPolicy.decide(outcome, ResendSafety.of(exchange), index + 1 < chain.size(), msLeft,
            context.cancellation().cancelled());
        if (decision != FallbackPolicy.Decision.NEXT) {
          outcome.toFuture().onComplete(done);
          return;
        }
        reason = FallbackPolicy.reason(outcome);
      }
      outcome.discard();
      TargetConfig then = following.get(index + 1);
      events.fallback(target.name(), then.name());
      exchange.trace().fallbackTarget(then.name());
      exchange.trace().fallbackReason(reason);
      tryTarget(original, next, following, index + 1, done);
    });
  }

  /** Returns the refusal an LLM target's error answer carries (too long, content policy), or empty. */
  private static Optional<ProviderRefusal> refusal(Outcome outcome) {
    // Only a 4xx can be a refusal: a success's body is not copied to find out.
    if (outcome instanceof Outcome.Answered(Reply reply) && reply.status() >= 400 && reply.status() < 500
        && reply.body() instanceof Body.Bytes bytes) {
      return ProviderRefusal.of(reply.status(), bytes.bytes().getBytes());
    }
    return Optional.empty();
  }

  private static LlmFaultRules rules(TargetConfig target) {
    return target.llm().map(llm -> llm.faults()).orElse(LlmFaultRules.DEFAULTS);
  }
}
