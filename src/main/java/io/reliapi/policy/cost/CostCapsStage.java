package io.reliapi.policy.cost;

import io.reliapi.config.LlmConfig;
import io.reliapi.config.LlmConfig.ModelPrice;
import io.reliapi.config.TargetConfig;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Reply;
import io.reliapi.llm.CostEstimate;
import io.reliapi.llm.PricedRequest;
import io.reliapi.llm.cost.PriceTable;
import io.reliapi.llm.cost.TokenCounter;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.Chain;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.Stage;
import io.reliapi.pipeline.Trace;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Prepares an LLM request (a chat completion or embeddings: any {@link PricedRequest}) for the target this
 * part of the chain serves, before any call to it: picks the target's model and {@code max_tokens}
 * ({@link ModelChoice}), counts the prompt, estimates the worst-case cost and applies the target's caps
 * ({@link CostPolicy}). It runs once per target, so each fallback gets its own model, price and caps. Non-LLM
 * requests pass untouched.
 */
public final class CostCapsStage implements Stage {
  private final PriceTable prices;
  private final TokenCounter counter;
  private final GatewayEvents events;

  public CostCapsStage(PriceTable prices, TokenCounter counter, GatewayEvents events) {
    this.prices = prices;
    this.counter = counter;
    this.events = events;
  }

  @Override
  public Future<Reply> handle(Exchange exchange, Chain next) {
    var payload = exchange.payload(PricedRequest.class);
    if (payload.isEmpty()) {
      return next.proceed(exchange);
    }
    TargetConfig target = exchange.target();
    if (target.llm().isEmpty()) {
      return Future.failedFuture(GatewayException.of(ErrorCode.INVALID_TARGET, "This target is not an LLM target."));
    }
    LlmConfig llm = target.llm().get();
    PricedRequest chat = payload.get();
    boolean primary = target.name().equals(exchange.context().primaryTarget());
    PricedRequest request = chat.forTarget(ModelChoice.model(chat, llm, primary), ModelChoice.maxTokens(chat, llm));
    Trace trace = exchange.trace();
    trace.model(request.model());
    trace.costEstimateUsd(null);
    trace.costPolicy(null, false, null);
    Optional<ModelPrice> price = prices.price(llm, request.model());
    if (llm.hasCaps() && price.isEmpty()) {
      return Future.failedFuture(GatewayException.of(ErrorCode.MODEL_PRICE_UNKNOWN,
          "This target has cost caps and the model has no known price; add it to the target's llm.prices.")
          .withDetails(Map.of("model", request.model())));
    }
    return promptTokens(exchange, request).compose(tokens -> {
      if (price.isEmpty()) {
        trace.costPolicy("none", false, null);
        return next.proceed(exchange.withPayload(request.withEstimate(
            new CostEstimate(tokens, request.maxTokens(), Optional.empty(), Optional.empty()))));
      }
      var estimate = new CostPolicy.Estimate(tokens, request.maxTokens(), request.choices(), price.get());
      return apply(exchange, request, CostPolicy.apply(estimate, CostPolicy.Caps.of(llm)), price.get(), tokens, next);
    });
  }

  private Future<Reply> apply(Exchange exchange, PricedRequest request, CostPolicy.Decision decision,
      ModelPrice price, long tokens, Chain next) {
    Trace trace = exchange.trace();
    String target = exchange.target().name();
    trace.costEstimateUsd(decision.estimateUsd().doubleValue());
    int maxTokens = request.maxTokens();
    switch (decision) {
      case CostPolicy.Allow allow -> trace.costPolicy("none", false, null);
      case CostPolicy.Throttle throttle -> {
        events.budgetEvent(target, "soft_cap");
        trace.costPolicy("soft_cap_throttled", true, throttle.originalMaxTokens());
        maxTokens = throttle.maxTokens();
      }
      case CostPolicy.Reject reject -> {
        if (reject.throttledFirst()) {
          events.budgetEvent(target, "soft_cap");
        }
        events.budgetEvent(target, "hard_cap");
        trace.costPolicy("hard_cap_rejected", reject.throttledFirst(),
            reject.throttledFirst() ? reject.originalMaxTokens() : null);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("estimate", plain(reject.estimateUsd()));
        details.put("cap", plain(BigDecimal.valueOf(reject.capUsd())));
        details.put("model", request.model());
        details.put("max_tokens", reject.maxTokens());
        return Future.failedFuture(GatewayException.of(ErrorCode.BUDGET_EXCEEDED,
            "The cost estimate of this request is above the target's hard cost cap.").withDetails(details));
      }
    }
    PricedRequest capped = request.withMaxTokens(maxTokens).withEstimate(new CostEstimate(tokens, maxTokens,
        Optional.of(price), Optional.of(decision.estimateUsd().doubleValue())));
    return next.proceed(exchange.withPayload(capped));
  }

  private Future<Long> promptTokens(Exchange exchange, PricedRequest request) {
    return counter.offTheEventLoop(exchange.call().body().length(), request.model(),
        () -> request.promptTokens(counter));
  }

  private static BigDecimal plain(BigDecimal usd) {
    return usd.stripTrailingZeros();
  }
}
