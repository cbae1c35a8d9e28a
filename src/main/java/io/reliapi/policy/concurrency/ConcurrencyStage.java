package io.reliapi.policy.concurrency;

import io.reliapi.config.ClientConfig;
import io.reliapi.config.ClientConfig.Priority;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Reply;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.Chain;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.RequestContext;
import io.reliapi.pipeline.Stage;
import io.reliapi.pipeline.TrailEntry;
import io.reliapi.policy.Outcome;
import io.reliapi.policy.UpstreamTime;
import io.reliapi.time.Clock;
import io.reliapi.time.Scheduler;
import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;

/**
 * Holds every attempt on a target with a {@code concurrency} block to the target's limit of attempts in
 * flight. An attempt over the limit waits in its priority's queue, for at most the target's
 * {@code queue_timeout_ms} and never past the request's deadline; one that cannot wait, or whose wait runs
 * out, is shed with 503 {@code OVERLOADED} and {@code Retry-After}, nothing having been sent. A place is held
 * until the attempt's answer ended upstream (a stream's last byte); each answer's latency, up to its head, feeds
 * the adaptive limit as soon as the head arrives. Targets without the block pass untouched.
 */
public final class ConcurrencyStage implements Stage {
  /** What a shed attempt's client is asked to wait: places come back within one upstream latency. */
  static final long RETRY_AFTER_S = 1;

  private final ConcurrencyLimiters limiters;
  private final Clock clock;
  private final Scheduler scheduler;
  private final GatewayEvents events;

  public ConcurrencyStage(ConcurrencyLimiters limiters, Clock clock, Scheduler scheduler, GatewayEvents events) {
    this.limiters = limiters;
    this.clock = clock;
    this.scheduler = scheduler;
    this.events = events;
  }

  @Override
  public Future<Reply> handle(Exchange exchange, Chain next) {
    var found = limiters.of(exchange.target());
    if (found.isEmpty()) {
      return next.proceed(exchange);
    }
    TargetLimiter limiter = found.get();
    RequestContext context = exchange.context();
    Priority priority = context.caller().client().map(ClientConfig::priority).orElse(Priority.INTERACTIVE);
    long leftMs = context.msLeft(clock.nanoTime());
    long waitMs = Math.min(limiter.config().queueTimeoutMs(), leftMs);
    Waiter waiter = limiter.enter(priority, waitMs > 0);
    if (waiter.decided()) {
      return waiter.shedReason() != null ? shed(exchange, waiter) : attempt(exchange, next, waiter);
    }
    String target = exchange.target().name();
    events.queued(target, priority.label());
    String reason = waitMs < limiter.config().queueTimeoutMs() ? Waiter.DEADLINE : Waiter.QUEUE_TIMEOUT;
    Scheduler.Cancellable timer = scheduler.schedule(waitMs, () -> limiter.leave(waiter, reason));
    Runnable unlisten = context.cancellation().onCancel(() -> limiter.leave(waiter, Waiter.CANCELLED));
    return waiter.admitted().transform(admitted -> {
      timer.cancel();
      unlisten.run();
      if (admitted.failed()) {
        return shed(exchange, waiter);
      }
      if (context.cancellation().cancelled()) {
        waiter.release();
        return Future.failedFuture(GatewayException.clientGone(false));
      }
      exchange.trace().note(new TrailEntry.Queued(target, priority.label(), waitedMs(waiter)));
      return attempt(exchange, next, waiter);
    });
  }

  /**
   * Runs the attempt in its place. Its latency is sampled as soon as the answer's head (an LLM stream's first
   * event) is here, counted from the moment the call was sent ({@link io.reliapi.pipeline.SentAt}), which is the
   * upstream's latency; the place is given back once the answer ended upstream.
   */
  private Future<Reply> attempt(Exchange exchange, Chain next, Waiter waiter) {
    long start = clock.nanoTime();
    return next.proceed(exchange).transform(result -> {
      if (UpstreamTime.measures(exchange)
          && LatencyLimit.isSample(Outcome.of(result), exchange.context().cancellation().cancelled())) {
        waiter.sample(start, exchange.sent().elapsed(start, clock.nanoTime()));
      }
      if (result.failed()) {
        waiter.release();
        return Future.failedFuture(result.cause());
      }
      return Future.succeededFuture(AnswerEnd.watch(result.result(), waiter::release));
    });
  }

  private Future<Reply> shed(Exchange exchange, Waiter waiter) {
    String reason = waiter.shedReason();
    if (reason.equals(Waiter.CANCELLED)) {
      return Future.failedFuture(GatewayException.clientGone(false));
    }
    String target = exchange.target().name();
    String priority = waiter.priority().label();
    events.shed(target, priority, reason);
    exchange.trace().note(new TrailEntry.Shed(target, priority, reason, waitedMs(waiter)));
    return Future.failedFuture(GatewayException.of(ErrorCode.OVERLOADED,
        "The target is at its concurrency limit; retry after the time in Retry-After.").withRetryAfter(RETRY_AFTER_S));
  }

  private long waitedMs(Waiter waiter) {
    return TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - waiter.enteredNanos());
  }

}
