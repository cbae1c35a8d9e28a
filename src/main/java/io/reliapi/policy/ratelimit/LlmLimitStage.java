package io.reliapi.policy.ratelimit;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Reply;
import io.reliapi.llm.ChatAnswer;
import io.reliapi.llm.ChatRequest;
import io.reliapi.llm.PricedRequest;
import io.reliapi.llm.embeddings.EmbeddingAnswer;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.Chain;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.Stage;
import io.reliapi.pipeline.StoreOutage;
import io.reliapi.pipeline.Trace;
import io.reliapi.pipeline.TrailEntry;
import io.reliapi.store.Guarded;
import io.reliapi.store.UsageLimit;
import io.reliapi.store.UsageLimiter;
import io.reliapi.store.UsageReservation;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Holds LLM attempts to the request and token limits per sliding minute of their target ({@code llm.limits})
 * and client ({@code limits}): right before each attempt it counts one call and the attempt's estimated
 * tokens on every limit at once (shared by all instances through Redis), and refuses the attempt with 429
 * {@code RATE_LIMITED} and {@code Retry-After} when one has no room; nothing reaches the provider then (a
 * target's refusal may still fall back). After the attempt the tokens become the usage the provider
 * reported (a stream's when it ends; 0 for an error answer); an attempt that never reached the provider is
 * taken back; one whose outcome is unknown, or a stream that broke, keeps its estimate (but the calls of a
 * continued stream, broken ones too, each settle what they were charged). Non-LLM requests
 * pass untouched; the client's {@code rate_limit} applies besides.
 */
public final class LlmLimitStage implements Stage {
  private final Guarded<UsageLimiter> limiters;
  private final GatewayEvents events;

  public LlmLimitStage(Guarded<UsageLimiter> limiters, GatewayEvents events) {
    this.limiters = limiters;
    this.events = events;
  }

  @Override
  public Future<Reply> handle(Exchange exchange, Chain next) {
    var chat = exchange.payload(PricedRequest.class);
    if (chat.isEmpty()) {
      return next.proceed(exchange);
    }
    List<UsageLimit> limits = LlmLimits.of(exchange.context().caller().client(), exchange.target());
    if (limits.isEmpty()) {
      return next.proceed(exchange);
    }
    long tokens = LlmLimits.reservedTokens(chat.get());
    return StoreOutage.run(limiters, exchange.trace(), limiter -> limiter.reserve(limits, tokens)
            .map(reservation -> new Reserved(limiter, reservation)))
        .compose(reserved -> switch (reserved.reservation()) {
          case UsageReservation.Refused refused -> refused(exchange, refused, tokens);
          case UsageReservation.Granted granted -> attempt(exchange, next, reserved.limiter(), granted);
        });
  }

  private Future<Reply> attempt(Exchange exchange, Chain next, UsageLimiter limiter, UsageReservation.Granted granted) {
    Trace trace = exchange.trace();
    String target = exchange.target().name();
    trace.note(new TrailEntry.LlmLimit(target, "reserved", granted.tokens(), null));
    return next.proceed(exchange).andThen(done -> {
      if (done.failed()) {
        if (!GatewayException.from(done.cause()).sentUpstream()) {
          limiter.release(granted);
          trace.note(new TrailEntry.LlmLimit(target, "released", granted.tokens(), null));
        }
        return;
      }
      if (done.result().answer(ChatAnswer.Whole.class).orElse(null) instanceof ChatAnswer.Whole whole) {
        settle(trace, target, limiter, granted, whole.completion().usage().totalTokens());
      } else if (done.result().answer(ChatAnswer.Streaming.class).orElse(null) instanceof ChatAnswer.Streaming streaming) {
        // A broken stream keeps its estimate: how much of it the provider spent is unknown. One continued counts
        // only this call, at what it was charged: each continuation is an attempt that settles its own, broken too.
        streaming.stream().callUsage().onSuccess(usage -> settle(trace, target, limiter, granted, usage.totalTokens()));
      } else if (done.result().answer(EmbeddingAnswer.class).orElse(null) instanceof EmbeddingAnswer embedded) {
        settle(trace, target, limiter, granted, embedded.embeddings().usage().totalTokens());
      } else {
        settle(trace, target, limiter, granted, 0);
      }
    });
  }

  private static void settle(Trace trace, String target, UsageLimiter limiter, UsageReservation.Granted granted,
      long actualTokens) {
    limiter.settle(granted, actualTokens);
    trace.note(new TrailEntry.LlmLimit(target, "settled", actualTokens, null));
  }

  private Future<Reply> refused(Exchange exchange, UsageReservation.Refused refused, long tokens) {
    String target = exchange.target().name();
    String owner = LlmLimits.owner(refused.name());
    events.llmLimitRefused(target, owner, refused.kind());
    exchange.trace().note(new TrailEntry.LlmLimit(target, "refused", tokens, owner + " " + refused.kind()));
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("limit", owner);
    details.put("kind", refused.kind());
    if (refused.neverFits()) {
      details.put("reason", "request_exceeds_limit");
    }
    String message = refused.neverFits()
        ? "This request's tokens alone exceed the " + owner + "'s tokens-per-minute limit."
        : "The " + owner + "'s " + (refused.kind().equals("rpm") ? "requests" : "tokens")
            + "-per-minute limit is reached; retry after the time in Retry-After.";
    return Future.failedFuture(GatewayException.of(ErrorCode.RATE_LIMITED, message)
        .withRetryAfter(ClientRateLimit.retryAfterS(refused.retryAfterMs())).withDetails(details));
  }

  /** A reservation and the limiter it was made in (the shared one, or the local one when degraded). */
  private record Reserved(UsageLimiter limiter, UsageReservation reservation) {}
}
