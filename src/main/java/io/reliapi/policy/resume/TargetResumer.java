package io.reliapi.policy.resume;

import io.reliapi.config.LlmConfig.Provider;
import io.reliapi.config.LlmConfig;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Reply;
import io.reliapi.llm.ChatAnswer;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.ChatStream;
import io.reliapi.llm.CostEstimate;
import io.reliapi.llm.StreamResumer;
import io.reliapi.llm.cost.TokenCounter;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.Chain;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.RequestContext;
import io.reliapi.pipeline.TrailEntry;
import io.reliapi.policy.ResendSafety;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Continues the streams of one request on one target: each continuation ({@link ContinuationRequest}) runs
 * through {@code next}, the pipeline below {@link StreamResumeStage}, as an attempt of its own, as often as
 * {@link ResumeRule} allows, while the client is there and {@link #MIN_LEFT_MS} of the stream's time is left,
 * under a key of its own ({@link ContinuationKey}).
 */
final class TargetResumer implements StreamResumer {
  /**
   * The least time a continuation is asked for with: a new connection, the whole prompt read again and a first
   * token before it adds anything; with less left it would mostly end in the stream's time limit anyway.
   */
  static final long MIN_LEFT_MS = 1000;
  private final Exchange exchange;
  private final Chain next;
  private final ChatRequest request;
  private final Provider provider;
  private final ResumeRetries retries;
  private final GatewayEvents events;

  TargetResumer(Exchange exchange, Chain next, ChatRequest request, Provider provider, ResumeRetries retries,
      GatewayEvents events) {
    this.exchange = exchange;
    this.next = next;
    this.request = request;
    this.provider = provider;
    this.retries = retries;
    this.events = events;
  }

  @Override
  public boolean mends(GatewayException fault, int resume) {
    return ResumeRule.allows(fault, exchange.tried().attempts(), exchange.target().retry(), ResendSafety.of(exchange))
        && !exchange.context().cancellation().cancelled() && msLeft() >= MIN_LEFT_MS;
  }

  /** The time left of the stream: until its {@code stream_max_s}, else the request's deadline. */
  private long msLeft() {
    RequestContext context = exchange.context();
    long end = exchange.target().streamEndNanos(context.startNanos(), context.deadlineNanos());
    return TimeUnit.NANOSECONDS.toMillis(end - retries.nanoTime());
  }

  @Override
  public Optional<Continuation> continuation(GatewayException fault, String sent, long outputSpent, int resume) {
    String errorClass = ResumeRule.faultClass(fault).map(c -> c.label()).orElse("");
    // The continuation is a retry of the request: numbered on from the attempts made on the target.
    int attempt = exchange.tried().attempts() + 1;
    return ContinuationRequest.of(request, provider, sent, outputSpent,
            text -> TokenCounter.shared().textTokens(request.model(), text))
        .filter(this::withinHardCap)
        .filter(continuation -> retries.draw(exchange, attempt, errorClass))
        .map(continuation -> {
          exchange.trace().note(new TrailEntry.StreamResumed(exchange.target().name(), resume, errorClass));
          Exchange asked = exchange.withPayload(continuation.request()).withAttempt(attempt - 1)
              .withIdempotencyKey(exchange.context().idempotencyKey().map(key -> ContinuationKey.of(key, resume, sent)));
          return new Continuation(stream(next.proceed(asked)), continuation.prefix(), continuation.echoed());
        });
  }

  /**
   * Returns whether the continuation's own estimate is within the target's hard cost cap, which bounds each
   * provider call as it bounds each retry: one over it is not sent, and the stream ends with the fault; the
   * trail and {@code reliapi_budget_events_total{event="hard_cap"}} say why.
   */
  private boolean withinHardCap(ContinuationRequest continuation) {
    var cap = exchange.target().llm().flatMap(LlmConfig::hardCostCapUsd);
    var usd = continuation.request().estimate().flatMap(CostEstimate::usd);
    if (cap.isEmpty() || usd.isEmpty() || usd.get() <= cap.get()) {
      return true;
    }
    String target = exchange.target().name();
    events.budgetEvent(target, "hard_cap");
    exchange.trace().note(new TrailEntry.Budget(target, "continuation_over_hard_cap", usd.get()));
    return false;
  }

  /** Returns the continuation's stream; any other answer (an error status, a whole answer) is none. */
  private static Future<ChatStream> stream(Future<Reply> answered) {
    return answered.compose(reply -> {
      if (reply.status() == 200 && reply.answer().orElse(null) instanceof ChatAnswer.Streaming streaming) {
        return Future.succeededFuture(streaming.stream());
      }
      reply.body().discard();
      return Future.failedFuture(GatewayException.afterSend(ErrorCode.UPSTREAM_ERROR,
          "The provider did not continue the stream."));
    });
  }
}
