package io.reliapi.llm.attempt;

import io.reliapi.config.LlmConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;
import io.reliapi.http.Reply;
import io.reliapi.llm.Bodies;
import io.reliapi.llm.CostEstimate;
import io.reliapi.llm.LlmTargets;
import io.reliapi.llm.Provider;
import io.reliapi.llm.ProviderQuery;
import io.reliapi.llm.Providers;
import io.reliapi.llm.Usage;
import io.reliapi.llm.cost.PriceTable;
import io.reliapi.llm.embeddings.Embedder;
import io.reliapi.llm.embeddings.EmbeddingAnswer;
import io.reliapi.llm.embeddings.EmbeddingList;
import io.reliapi.llm.embeddings.EmbeddingRequest;
import io.reliapi.llm.embeddings.EncodingFormat;
import io.reliapi.llm.embeddings.Embeddings;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.Chain;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.Stage;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Makes one embeddings attempt the provider's way: the target's {@link Embedder} builds the call (with the
 * target's {@code llm.query} and the forwarded idempotency key), the next stage sends it, and the answer is read
 * into the neutral {@link Embeddings}, priced on its input tokens (the provider's count, else the gateway's) and
 * attached to the reply, whose body becomes the canonical embedding list with float vectors. Any provider status
 * of 400 or more is a reply with that status and its body, as for chat. Other requests pass through.
 */
public final class EmbeddingAttemptStage implements Stage {
  /** Enough of an error body to read the provider's error type. */
  private static final long MAX_ERROR_BYTES = 64 * 1024;

  private final PriceTable prices;
  private final GatewayEvents events;
  private final long maxResponseBytes;

  public EmbeddingAttemptStage(PriceTable prices, GatewayEvents events, long maxResponseBytes) {
    this.prices = prices;
    this.events = events;
    this.maxResponseBytes = maxResponseBytes;
  }

  @Override
  public Future<Reply> handle(Exchange exchange, Chain next) {
    var payload = exchange.payload(EmbeddingRequest.class);
    if (payload.isEmpty()) {
      return next.proceed(exchange);
    }
    TargetConfig target = exchange.target();
    LlmConfig llm = target.llm().orElseThrow(LlmTargets::notAnLlmTarget);
    EmbeddingRequest request = payload.get();
    Provider provider = Providers.of(llm.provider());
    Embedder embedder = provider.embedder().filter(e -> e.accepts(request)).orElseThrow(() ->
        GatewayException.of(ErrorCode.INVALID_TARGET, "This target's provider cannot serve this embeddings request."));
    HttpCall own = ProviderQuery.onto(embedder.call(request), llm);
    // Headers earlier stages put on the stand-in call travel along; the endpoint's own win over them.
    Headers headers = exchange.call().headers();
    for (String name : own.headers().toLowerCaseMap().keySet()) {
      headers = headers.with(name, own.headers().get(name));
    }
    HttpCall call = KeyForwarding.apply(own.withHeaders(headers), target, exchange.context().idempotencyKey());
    return next.proceed(exchange.withCall(call)).compose(reply -> {
      Headers passed = provider.normalize(reply.status(), ProviderAnswers.kept(reply.headers()));
      if (reply.status() < 200 || reply.status() >= 300) {
        return Bodies.read(reply.body(), MAX_ERROR_BYTES, true)
            .map(bytes -> new Reply(reply.status(), passed, Body.of(bytes)));
      }
      return Bodies.read(reply.body(), maxResponseBytes, false, exchange.context().buffered()).map(bytes -> {
        Embeddings answer = settle(exchange, request, embedder.read(bytes.getBytes(), request.input().size()), llm);
        return new Reply(reply.status(), passed.with("Content-Type", "application/json"),
            Body.of(EmbeddingList.write(answer, EncodingFormat.FLOAT)), Optional.of(new EmbeddingAnswer(answer)));
      });
    });
  }

  /** Prices the answer: the provider's input count, else the gateway's (the estimate's prompt tokens). */
  private Embeddings settle(Exchange exchange, EmbeddingRequest request, Embeddings answer, LlmConfig llm) {
    Usage usage = answer.usage() != null ? answer.usage()
        : new Usage(request.estimate().map(CostEstimate::promptTokens).orElse(0L), 0, true);
    var price = request.estimate().flatMap(CostEstimate::price).or(() -> prices.price(llm, request.model()));
    String model = answer.model().isEmpty() ? request.model() : answer.model();
    Double cost = UsageRecords.settle(usage, price, prices.label(request.model()), model, exchange, events);
    return new Embeddings(model, answer.vectors(), usage, cost);
  }
}
