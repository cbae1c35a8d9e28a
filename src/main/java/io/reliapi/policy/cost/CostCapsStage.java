package io.reliapi.policy.cost;

import io.reliapi.config.LlmConfig;
import io.reliapi.config.LlmConfig.ModelPrice;
import io.reliapi.config.TargetConfig;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Reply;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.CostEstimate;
import io.reliapi.llm.LlmTargets;
import io.reliapi.llm.PricedRequest;
import io.reliapi.llm.Providers;
import io.reliapi.llm.cost.AudioUse;
import io.reliapi.llm.cost.CacheWrites;
import io.reliapi.llm.cost.Costs;
import io.reliapi.llm.cost.PriceTable;
import io.reliapi.llm.cost.ServiceTier;
import io.reliapi.llm.cost.TierPrices;
import io.reliapi.llm.cost.TokenCounter;
import io.reliapi.llm.cost.ToolFees;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.Chain;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.Stage;
import io.reliapi.pipeline.Trace;
import io.reliapi.policy.budget.BudgetAccounts;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Prepares an LLM request (a chat completion or embeddings: any {@link PricedRequest}) for the target this
 * part of the chain serves, before any call to it: picks the target's model and {@code max_tokens}
 * ({@link ModelChoice}), counts the prompt, estimates the worst-case cost and applies the target's caps
 * ({@link CostPolicy}). It runs once per target, so each fallback gets its own model, price and caps. Non-LLM
 * requests pass untouched.
 *
 * <p>The estimate bounds the bill: prompt tokens the request asks the provider to write to its cache are priced at
 * the write price, output at the dearer of the output and reasoning prices ({@link Costs#bound}), and a prompt with
 * content by reference at its model's context window ({@link PromptBounds}); the answer is still settled at the
 * price each kind of token was billed at.
 *
 * <p>Provider-side tools billed per use ({@link ToolFees}) are part of the estimate where the request bounds
 * them; where it does not, a target with a cap or a period budget (its own or its client's) refuses the call
 * before any upstream call, as for a model without a price: the gateway never reserves less than a call can
 * cost. Targets without either forward such calls (their estimate counts only the bounded fees). OpenAI's priority
 * service tier is priced at the model's priority price where the built-in table has one, and refused the same way
 * where it has none; so is audio ({@link AudioUse}): the audio data of the prompt and a spoken answer are estimated
 * at the model's audio prices, and refused where it has none (audio input only where a cap or budget holds the
 * call, the only place it is looked for).
 */
public final class CostCapsStage implements Stage {
  private final PriceTable prices;
  private final GatewayEvents events;
  private final UnpricedRefusals unpriced;
  private final PromptBounds bounds;

  public CostCapsStage(PriceTable prices, TokenCounter counter, GatewayEvents events) {
    this.prices = prices;
    this.events = events;
    this.unpriced = new UnpricedRefusals(events);
    this.bounds = new PromptBounds(prices, counter);
  }

  @Override
  public Future<Reply> handle(Exchange exchange, Chain next) {
    var payload = exchange.payload(PricedRequest.class);
    if (payload.isEmpty()) {
      return next.proceed(exchange);
    }
    TargetConfig target = exchange.target();
    if (target.llm().isEmpty()) {
      return Future.failedFuture(LlmTargets.notAnLlmTarget());
    }
    LlmConfig llm = target.llm().get();
    PricedRequest chat = payload.get();
    boolean primary = target.name().equals(exchange.context().primaryTarget());
    PricedRequest request = chat.forTarget(ModelChoice.model(chat, target, llm, primary),
        ModelChoice.maxTokens(chat, llm));
    Trace trace = exchange.trace();
    trace.model(request.model());
    trace.costEstimateUsd(null);
    trace.costPolicy(null, false, null);
    boolean renamed = ModelChoice.answeredAsDefault(target, request.model());
    Optional<ModelPrice> standard = renamed
        ? RenamedModelPrice.of(prices.price(llm, request.model()), prices.price(llm, llm.defaultModel()))
        : prices.price(llm, request.model());
    boolean controlled = controlled(exchange, llm);
    if (controlled && renamed && standard.isEmpty()) {
      return Future.failedFuture(GatewayException.of(ErrorCode.MODEL_PRICE_UNKNOWN,
          "This target's deployments answer with its default model under their own names, so a call naming another "
          + "model is priced at the dearer of the two, and one of them has no known price; price both in the "
          + "target's llm.prices, or name the target's default model.")
          .withDetails(Map.of("model", request.model())));
    }
    if (llm.hasCaps() && standard.isEmpty()) {
      return Future.failedFuture(GatewayException.of(ErrorCode.MODEL_PRICE_UNKNOWN,
          "This target has cost caps and the model has no known price; add it to the target's llm.prices.")
          .withDetails(Map.of("model", request.model())));
    }
    List<PricedRequest> asAnswered = ModelChoice.answering(target, request.model()).stream()
        .map(model -> model.equals(request.model()) ? request : request.forTarget(model, request.maxTokens()))
        .toList();
    ToolFees.Fees fees = fees(asAnswered, llm);
    if (fees instanceof ToolFees.Unbounded unbounded && controlled) {
      return Future.failedFuture(unpriced.tool(exchange, unbounded));
    }
    Optional<String> priority = request instanceof ChatRequest call && llm.provider() == LlmConfig.Provider.OPENAI
        ? ServiceTier.priorityField(call) : Optional.empty();
    Optional<ModelPrice> priorityPrice = priority.flatMap(field -> priorityPrice(llm, request.model()));
    if (renamed) {
      priorityPrice = RenamedModelPrice.of(priorityPrice,
          priority.flatMap(field -> priorityPrice(llm, llm.defaultModel())));
    }
    if (priority.isPresent() && priorityPrice.isEmpty() && controlled) {
      return Future.failedFuture(unpriced.tier(exchange, priority.get(), request.model()));
    }
    // The tier's price bounds the call and settles it: a call OpenAI serves at the default tier instead costs less.
    Optional<ModelPrice> price = priorityPrice.or(() -> standard);
    AudioUse audio = PromptBounds.audio(request, llm, controlled);
    Optional<ToolFees.Unbounded> unpricedAudio = audio.unpriced(price);
    if (unpricedAudio.isPresent() && controlled) {
      return Future.failedFuture(unpriced.tool(exchange, unpricedAudio.get()));
    }
    BigDecimal toolFees = fees instanceof ToolFees.Bounded bounded ? bounded.usd() : BigDecimal.ZERO;
    return bounds.largest(exchange, asAnswered, llm, audio, price).compose(bound -> {
      if (price.isEmpty()) {
        trace.costPolicy("none", false, null);
        return next.proceed(exchange.withPayload(request.withEstimate(
            new CostEstimate(bound.counted(), request.maxTokens(), Optional.empty(), Optional.empty()))));
      }
      var estimate = new CostPolicy.Estimate(bound.tokens(), request.maxTokens(), request.choices(),
          Costs.bound(audio.bound(price.get()), cacheWrites(request, price.get())),
          toolFees.add(bound.audioSurchargeUsd()));
      return apply(exchange, request, CostPolicy.apply(estimate, CostPolicy.Caps.of(llm)), price.get(),
          bound.counted(), next);
    });
  }

  /** Returns the first unbounded fees of the request as each model that may answer sees it, else its fees. */
  private static ToolFees.Fees fees(List<PricedRequest> asAnswered, LlmConfig llm) {
    ToolFees.Fees fees = new ToolFees.Bounded(BigDecimal.ZERO);
    for (PricedRequest request : asAnswered) {
      if (!(request instanceof ChatRequest call)) {
        return fees;
      }
      fees = ToolFees.of(call, Providers.of(llm.provider()).serving(call, llm).protocol());
      if (fees instanceof ToolFees.Unbounded) {
        return fees;
      }
    }
    return fees;
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
        return Future.failedFuture(reject.error(request.model()));
      }
    }
    PricedRequest capped = request.withMaxTokens(maxTokens).withEstimate(new CostEstimate(tokens, maxTokens,
        Optional.of(price), Optional.of(decision.estimateUsd().doubleValue())));
    return next.proceed(exchange.withPayload(capped));
  }

  private Optional<ModelPrice> priorityPrice(LlmConfig llm, String model) {
    return prices.tierPrices(llm, model).flatMap(TierPrices::priority);
  }

  /** Returns the cache writes the request asks for, where the model's price makes them dearer than input. */
  private static CacheWrites cacheWrites(PricedRequest request, ModelPrice price) {
    return price.cacheWritePer1m().isPresent() && request instanceof ChatRequest call ? CacheWrites.of(call)
        : CacheWrites.NONE;
  }

  /** Returns whether the call is held to a hard or soft cap, or to a period budget of its target or client. */
  private static boolean controlled(Exchange exchange, LlmConfig llm) {
    return llm.hasCaps() || !BudgetAccounts.of(exchange.context().caller().client(), exchange.target()).isEmpty();
  }
}
