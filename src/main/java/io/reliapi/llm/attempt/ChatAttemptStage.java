package io.reliapi.llm.attempt;

import io.reliapi.config.DeploymentConfig;
import io.reliapi.config.LlmConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.http.HttpCall;
import io.reliapi.http.Reply;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.LlmTargets;
import io.reliapi.llm.Provider;
import io.reliapi.llm.Providers;
import io.reliapi.llm.cost.PriceTable;
import io.reliapi.llm.cost.TokenCounter;
import io.reliapi.llm.openai.ForeignReasoning;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.Chain;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.ReasoningRefusal;
import io.reliapi.pipeline.Stage;
import io.reliapi.time.Clock;
import io.vertx.core.Future;

/**
 * Makes one LLM attempt the provider's way, in four steps each with one owner: {@link ProviderDispatch} turns
 * the neutral request into the target's provider call, {@link KeyForwarding} passes the idempotency key where
 * the target asks for it, the next stage sends the call, and {@link ProviderAnswers} turns the answer back into
 * a neutral one, priced by {@link AttemptPricing} and, for a stream, timed by {@link StreamLimits}. A Responses API
 * call whose reasoning items the provider refuses as another organization's ({@link ForeignReasoning}) is answered
 * as it is, noted on the request's {@link ReasoningRefusal} (the retry stage sends it once more, through every stage
 * below it), and every later call of the request goes without them, under a key of its own where the key is
 * forwarded. Non-LLM requests pass through.
 */
public final class ChatAttemptStage implements Stage {
  private final PriceTable prices;
  private final TokenCounter counter;
  private final Clock clock;
  private final GatewayEvents events;
  private final long maxResponseBytes;
  private final StreamLimits limits;

  public ChatAttemptStage(PriceTable prices, TokenCounter counter, Clock clock, GatewayEvents events,
      long maxResponseBytes) {
    this.prices = prices;
    this.counter = counter;
    this.clock = clock;
    this.events = events;
    this.maxResponseBytes = maxResponseBytes;
    this.limits = new StreamLimits(clock);
  }

  @Override
  public Future<Reply> handle(Exchange exchange, Chain next) {
    var chat = exchange.payload(ChatRequest.class);
    if (chat.isEmpty()) {
      return next.proceed(exchange);
    }
    TargetConfig target = exchange.target();
    // The server this attempt goes to decides the limits its call is fitted to, not the target's other URLs: a
    // deployment carries the target's llm block as sent to it, resolved when the config was read.
    LlmConfig llm = exchange.deployment().flatMap(DeploymentConfig::llm).or(target::llm)
        .orElseThrow(LlmTargets::notAnLlmTarget);
    ChatRequest request = chat.get();
    Provider provider = Providers.of(llm.provider()).serving(request, llm);
    ReasoningRefusal reasoning = exchange.context().reasoning();
    if (reasoning.dropped()) {
      var without = ForeignReasoning.withoutReasoning(provider, request);
      if (without.isPresent()) {
        var key = exchange.context().idempotencyKey().map(ForeignReasoning::keyWithoutReasoning);
        return attempt(exchange.withIdempotencyKey(key), llm, provider, without.get(), next);
      }
    }
    // A hedge's loser, cancelled, was not the call the request went on with: its refusal is owed nothing. Another
    // branch's refusal after the first is noted too, so the race and the retry stage know it for one.
    return attempt(exchange, llm, provider, request, next).map(reply -> {
      if (!exchange.context().cancellation().cancelled() && ForeignReasoning.refuses(provider, request, reply)) {
        reasoning.refused(reply);
      }
      return reply;
    });
  }

  private Future<Reply> attempt(Exchange exchange, LlmConfig llm, Provider provider, ChatRequest request,
      Chain next) {
    // A deployment may know the model by its own name; prices and meta keep the model asked for.
    ChatRequest sent = request.withModel(exchange.modelSent(request.model()));
    HttpCall call = ProviderDispatch.call(provider, sent, llm, exchange.call());
    call = KeyForwarding.apply(call, exchange.target(), exchange.context().idempotencyKey());
    var pricing = new AttemptPricing(prices, counter, events, exchange, request, prices.price(llm, request.model()));
    var answers = new ProviderAnswers(provider, request, pricing, maxResponseBytes, clock.epochMillis() / 1000);
    return next.proceed(exchange.withCall(call))
        .compose(reply -> answers.read(reply, limits, exchange.target(), exchange.context()));
  }
}
