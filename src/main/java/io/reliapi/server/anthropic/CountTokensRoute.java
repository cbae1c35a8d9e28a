package io.reliapi.server.anthropic;

import io.reliapi.config.GatewayConfig;
import io.reliapi.config.LlmConfig;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;
import io.reliapi.http.Reply;
import io.reliapi.llm.Bodies;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.Provider;
import io.reliapi.llm.Providers;
import io.reliapi.llm.TokenCount;
import io.reliapi.llm.cost.LocalCountStage;
import io.reliapi.llm.cost.TokenCounter;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.Pipeline;
import io.reliapi.pipeline.Route;
import io.reliapi.server.BodyRoute;
import io.reliapi.server.GatewayHeaders;
import io.reliapi.server.Inbound;
import io.reliapi.server.llm.LlmReplies;
import io.reliapi.server.llm.LlmRequests;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * {@code POST /v1/messages/count_tokens}: {@code {"input_tokens": N}} for a Messages request on any LLM target.
 * Every count runs through the pipeline, so access, rate limits and quotas hold as on every route. A target whose
 * provider counts (Anthropic) is asked, for free; where it has no count ({@link LocalCountStage}), or its count
 * fails for a reason of its own, the gateway counts with its tokenizer. {@code X-ReliAPI-Token-Count}
 * says which: {@code provider} or {@code estimate}. Nothing is priced, so the cost is always 0.
 */
public final class CountTokensRoute extends BodyRoute {
  private static final long MAX_COUNT_ANSWER_BYTES = 64 * 1024;
  /** Failures that are the provider's: the gateway's own count stands in. Others (access, quotas) are answered. */
  private static final Set<ErrorCode> PROVIDER_FAILURES = Set.of(ErrorCode.UPSTREAM_ERROR, ErrorCode.NETWORK_ERROR,
      ErrorCode.UPSTREAM_INVALID_RESPONSE, ErrorCode.UPSTREAM_RESPONSE_TOO_LARGE, ErrorCode.UPSTREAM_TIMEOUT,
      ErrorCode.CIRCUIT_OPEN);

  private final Clock clock;
  private final TokenCounter counter;

  public CountTokensRoute(GatewayConfig config, Clock clock, TokenCounter counter) {
    super(config, Route.COUNT_TOKENS);
    this.clock = clock;
    this.counter = counter;
  }

  @Override
  protected Exchange parse(Inbound in, Buffer bytes) {
    MessagesRequest parsed = MessagesRequest.forCounting(bytes, config, in);
    ChatRequest request = parsed.chat();
    LlmConfig llm = LlmRequests.llm(parsed.target());
    Optional<HttpCall> asked = Providers.of(llm.provider()).countCall(request, llm);
    var context = LlmRequests.context(in, Route.COUNT_TOKENS, config, parsed.target(), request, Optional.empty(),
        LlmRequests.cacheDirective(in));
    // A count made here needs no call; the body stays for its size.
    HttpCall call = asked.orElseGet(() -> new HttpCall("POST", "/", Headers.empty(), Body.of(bytes)));
    in.trace().costUsd(0.0);
    return new Exchange(context, parsed.target(), call, 0, Optional.of(new TokenCount(request, asked.isPresent())));
  }

  /**
   * Runs the count through the pipeline, which counts it itself ({@link LocalCountStage}) where the provider does
   * not; a provider's count that fails for a reason of its own is replaced by the gateway's.
   */
  @Override
  public Future<Reply> run(Exchange exchange, Pipeline pipeline) {
    TokenCount count = exchange.payload(TokenCount.class).orElseThrow();
    if (!count.byProvider()) {
      return pipeline.run(exchange);
    }
    Provider provider = Providers.of(LlmRequests.llm(exchange.target()).provider());
    return pipeline.run(exchange).transform(outcome -> {
      if (outcome.failed()) {
        return outcome.cause() instanceof GatewayException e && !PROVIDER_FAILURES.contains(e.code())
            ? Future.failedFuture(e) : LocalCountStage.estimate(counter, exchange, count);
      }
      Reply reply = outcome.result();
      return Bodies.read(reply.body(), MAX_COUNT_ANSWER_BYTES, true).transform(read -> {
        OptionalLong tokens = read.succeeded() && LlmReplies.succeeded(reply)
            ? provider.count(read.result().getBytes()) : OptionalLong.empty();
        return tokens.isPresent() ? Future.succeededFuture(LocalCountStage.answer(tokens.getAsLong(), "provider"))
            : LocalCountStage.estimate(counter, exchange, count);
      });
    });
  }

  @Override
  public Future<Void> reply(Inbound in, Exchange exchange, Reply reply) {
    var response = in.request().response();
    if (response.closed()) {
      return Future.succeededFuture();
    }
    response.setStatusCode(reply.status());
    GatewayHeaders.write(response.headers(), in, clock);
    reply.headers().copyTo(response.headers());
    response.headers().set("request-id", in.requestId());
    GatewayHeaders.ownBody(response.headers(), "application/json");
    return response.end(LlmReplies.body(reply));
  }

  @Override
  public Future<Void> fail(Inbound in, GatewayException error) {
    return AnthropicErrors.write(in, error, clock);
  }
}
