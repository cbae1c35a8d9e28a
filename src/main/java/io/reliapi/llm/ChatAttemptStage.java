package io.reliapi.llm;

import io.reliapi.config.LlmConfig;
import io.reliapi.config.LlmConfig.ModelPrice;
import io.reliapi.config.TargetConfig;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.HttpCall;
import io.reliapi.http.Reply;
import io.reliapi.llm.cost.Costs;
import io.reliapi.llm.cost.PriceTable;
import io.reliapi.llm.cost.TokenCounter;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.Chain;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.RequestContext;
import io.reliapi.pipeline.Stage;
import io.reliapi.time.Clock;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Makes one LLM attempt the provider's way: the target's adapter turns the neutral chat request into the
 * provider's call, the next stage sends it, and the answer comes back provider-neutral. The terminal
 * contract holds for LLM attempts as for any other: any provider status is a reply with that status (its
 * body read, its {@code Retry-After} kept), a failure on the wire is a failed future, and a 2xx answer that
 * cannot be understood is UPSTREAM_INVALID_RESPONSE. A stream is handed on only once the provider's first
 * event arrived, so everything before it can still be retried or fall back; an error event in first place
 * becomes an error reply. Each attempt's usage is priced, added to the request's cost and counted.
 */
public final class ChatAttemptStage implements Stage {
  /** Enough of an error body to read the provider's error type. */
  private static final long MAX_ERROR_BYTES = 64 * 1024;

  private final PriceTable prices;
  private final TokenCounter counter;
  private final Clock clock;
  private final GatewayEvents events;
  private final long maxResponseBytes;

  public ChatAttemptStage(PriceTable prices, TokenCounter counter, Clock clock, GatewayEvents events,
      long maxResponseBytes) {
    this.prices = prices;
    this.counter = counter;
    this.clock = clock;
    this.events = events;
    this.maxResponseBytes = maxResponseBytes;
  }

  @Override
  public Future<Reply> handle(Exchange exchange, Chain next) {
    if (exchange.chat().isEmpty()) {
      return next.proceed(exchange);
    }
    TargetConfig target = exchange.target();
    LlmConfig llm = target.llm().orElseThrow(() ->
        GatewayException.of(ErrorCode.INVALID_TARGET, "This target is not an LLM target."));
    ChatRequest request = exchange.chat().get();
    Provider provider = Providers.of(llm.provider());
    // A deployment may know the model by its own name; prices and meta keep the model asked for.
    ChatRequest sent = request.withModel(exchange.modelSent(request.model()));
    HttpCall call = sent.isNative() ? nativeCall(provider, sent, llm, exchange.call()) : provider.call(sent, llm);
    // Headers earlier stages put on the stand-in call (a forwarded idempotency key, say) travel along.
    Headers headers = exchange.call().headers();
    for (String name : call.headers().toLowerCaseMap().keySet()) {
      headers = headers.with(name, call.headers().get(name));
    }
    Optional<String> forward = target.idempotency().forwardHeader();
    if (forward.isPresent() && exchange.context().idempotencyKey().isPresent()) {
      headers = headers.with(forward.get(), exchange.context().idempotencyKey().get());
    }
    Attempt attempt = new Attempt(exchange, provider, request, prices.price(llm, request.model()));
    return next.proceed(exchange.withCall(call.withHeaders(headers))).compose(attempt::answer);
  }

  /** Returns a raw route's call: to the chat endpoint with the client's query, as the stand-in call holds it. */
  private static HttpCall nativeCall(Provider provider, ChatRequest request, LlmConfig llm, HttpCall standIn) {
    HttpCall own = provider.nativeCall(request, llm);
    return new HttpCall(own.method(), standIn.pathAndQuery(), own.headers(), own.body());
  }

  /** One attempt's answer handling. */
  private final class Attempt {
    private final Exchange exchange;
    private final Provider provider;
    private final ChatRequest request;
    private final Optional<ModelPrice> price;

    Attempt(Exchange exchange, Provider provider, ChatRequest request, Optional<ModelPrice> price) {
      this.exchange = exchange;
      this.provider = provider;
      this.request = request;
      this.price = request.estimate().flatMap(CostEstimate::price).or(() -> price);
    }

    Future<Reply> answer(Reply reply) {
      // A raw route's client gets the provider's headers as any raw answer's; the LLM routes only a few.
      Headers passed = request.isNative() ? reply.headers() : kept(reply.headers());
      Headers headers = provider.normalize(reply.status(), passed);
      if (reply.status() < 200 || reply.status() >= 300) {
        return Bodies.read(reply.body(), MAX_ERROR_BYTES, true)
            .map(bytes -> new Reply(reply.status(), headers, Body.of(bytes)));
      }
      String type = reply.headers().get("content-type");
      if (reply.body() instanceof Body.Stream && type != null
          && type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
        return stream((Body.Stream) reply.body(), headers);
      }
      // A provider that ignored stream: true answers whole; the route then streams that answer itself.
      return Bodies.read(reply.body(), maxResponseBytes, false).map(bytes -> complete(reply.status(), headers, bytes));
    }

    /**
     * Reads a whole answer and settles its cost. The LLM routes get it in its canonical form (with the usage
     * the gateway counted, where the provider reported none); a raw route's client gets the provider's bytes.
     */
    private Reply complete(int status, Headers headers, Buffer bytes) {
      Completion completion = provider.complete(bytes.getBytes(), createdEpochS());
      ChatResult result = completion.result();
      Buffer canonical = completion.canonical();
      if (result.usage() == null) {
        result = new ChatResult(result.id(), result.model(), result.role(), result.content(), result.finishReason(),
            counted(completion.billedOutput()), result.toolCalls());
        canonical = ChatCompletion.bytes(ChatCompletion.write(result, createdEpochS()));
      }
      Double cost = settle(result.usage(), result.model());
      Optional<ChatAnswer> answer = Optional.of(new ChatAnswer.Complete(result, cost));
      if (request.isNative()) {
        return new Reply(status, headers, Body.of(bytes), answer);
      }
      return new Reply(status, headers.with("Content-Type", "application/json"), Body.of(canonical), answer);
    }

    /**
     * Reads a stream through a {@link ChatStream}, which settles its usage when it ends. A raw route's client
     * reads the provider's own bytes beside it ({@link NativeStream}); the LLM routes read the chat stream.
     */
    private Future<Reply> stream(Body.Stream body, Headers headers) {
      NativeStream tee = request.isNative() ? new NativeStream(body.source(), provider.withheld(request)) : null;
      StreamDecoder decoder = provider.decoder(createdEpochS());
      ChatStream stream = new ChatStream(tee == null ? body.source() : tee.providerSide(), body.abort(), decoder,
          (complete, finish, reported, text) -> {
            String billed = decoder.billedOutput() != null ? decoder.billedOutput() : text;
            Usage usage = reported != null ? reported : counted(billed);
            if (!complete && reported != null) {
              // A broken stream: the provider's running count may lag what was already streamed.
              long streamed = counter.textTokens(request.model(), billed);
              usage = new Usage(reported.promptTokens(), Math.max(reported.completionTokens(), streamed), true);
            }
            return new StreamEnd(finish, usage, settle(usage, null));
          });
      RequestContext context = exchange.context();
      stream.onTerminal(context.cancellation().onCancel(stream::cancel));
      limitTime(stream, context);
      return stream.start().transform(started -> {
        if (started.succeeded()) {
          Body out = tee == null ? Body.EMPTY : new Body.Stream(tee.clientSide(stream), -1, stream::cancel);
          Headers passed = tee == null ? headers : headers.without(name -> name.equalsIgnoreCase("content-length"));
          return Future.succeededFuture(new Reply(200, passed, out, Optional.of(new ChatAnswer.Streaming(stream))));
        }
        if (started.cause() instanceof ProviderStreamError error) {
          return Future.succeededFuture(new Reply(error.status(), headers.with("Content-Type", "application/json"),
              Body.of(Buffer.buffer(error.body()))));
        }
        return Future.failedFuture(started.cause());
      });
    }

    /**
     * Ends a stream that stalls for the target's {@code timeout_ms} (no byte from the provider), or that is
     * still running at the target's {@code stream_max_s}, else the request's deadline. Both are I/O timeouts
     * and run in real time.
     */
    private void limitTime(ChatStream stream, RequestContext context) {
      Context vertx = Vertx.currentContext();
      if (vertx == null) {
        return;
      }
      long now = clock.nanoTime();
      long leftMs = TimeUnit.NANOSECONDS.toMillis(context.deadlineNanos() - now);
      stream.idleTimeout(vertx.owner(), Math.max(1, Math.min(exchange.target().timeoutMs(), leftMs)));
      long streamLeftMs = TimeUnit.NANOSECONDS.toMillis(
          exchange.target().streamEndNanos(context.startNanos(), context.deadlineNanos()) - now);
      long timer = vertx.owner().setTimer(Math.max(1, streamLeftMs), id -> stream.fail(GatewayException.afterSend(
          ErrorCode.UPSTREAM_TIMEOUT, "The provider's stream did not finish within its time limit.")));
      stream.onTerminal(() -> vertx.owner().cancelTimer(timer));
    }

    /** Usage counted by the gateway, for providers that did not report it: the prompt and the billed output. */
    private Usage counted(String completion) {
      long prompt = request.estimate().map(CostEstimate::promptTokens).orElseGet(() -> counter.promptTokens(request));
      return new Usage(prompt, counter.textTokens(request.model(), completion), true);
    }

    /** Prices {@code usage}, adds it to the request's cost and counts it; returns the cost or null if unpriced. */
    private Double settle(Usage usage, String responseModel) {
      Double cost = price.map(p -> Costs.usd(usage.promptTokens(), usage.completionTokens(), p).doubleValue())
          .orElse(null);
      if (cost != null) {
        exchange.trace().addCost(cost);
      }
      events.llmUsage(exchange.target().name(), prices.label(request.model()), usage.promptTokens(),
          usage.completionTokens(), cost == null ? 0 : cost);
      exchange.trace().llmUsage(responseModel, usage.promptTokens(), usage.completionTokens(), cost);
      return cost;
    }

    private long createdEpochS() {
      return clock.epochMillis() / 1000;
    }
  }

  /**
   * Keeps the provider headers worth passing on: the content type, {@code Retry-After} (retries read it) and
   * the rate-limit headers of the known providers. Everything else (cookies, organisation ids, tracing
   * headers) stays behind the gateway.
   */
  static Headers kept(Headers headers) {
    return headers.without(name -> !(name.equals("content-type") || name.equals("retry-after")
        || name.equals("retry-after-ms") || name.startsWith("x-ratelimit-") || name.startsWith("anthropic-ratelimit-")
        || name.startsWith("ratelimitbysize-") || name.startsWith("x-ratelimitbysize-")));
  }
}
