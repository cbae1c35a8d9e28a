package io.reliapi.upstream;

import io.reliapi.error.GatewayException;
import io.reliapi.http.HttpCall;
import io.reliapi.http.Reply;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.Chain;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.RequestContext;
import io.reliapi.pipeline.Stage;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The end of the pipeline: one attempt on the exchange's target. The attempt's timeout is the shortest of
 * the target's {@code timeout_ms}, the client's {@code timeout_ms} and what is left of the deadline.
 */
public final class UpstreamStage implements Stage {
  private final Map<String, UpstreamClient> clients;
  private final long maxResponseBytes;
  private final Clock clock;
  private final GatewayEvents events;

  public UpstreamStage(Map<String, UpstreamClient> clients, long maxResponseBytes, Clock clock, GatewayEvents events) {
    this.clients = Map.copyOf(clients);
    this.maxResponseBytes = maxResponseBytes;
    this.clock = clock;
    this.events = events;
  }

  @Override
  public Future<Reply> handle(Exchange exchange, Chain next) {
    RequestContext context = exchange.context();
    String target = exchange.target().name();
    context.trace().answeredBy(target);
    long leftMs = TimeUnit.NANOSECONDS.toMillis(context.deadlineNanos() - clock.nanoTime());
    if (leftMs <= 0) {
      return Future.failedFuture(Failures.timeout(false));
    }
    long timeout = Math.min(exchange.target().timeoutMs(), leftMs);
    timeout = Math.min(timeout, context.attemptTimeoutMs().orElse(timeout));
    Attempt attempt = new Attempt(timeout, context.bufferReplies(), maxResponseBytes, context.cancellation(),
        context.requestId());
    long start = clock.nanoTime();
    HttpCall call = Traced.call(exchange);
    return clients.get(target).send(call, attempt).andThen(done -> {
      if (done.succeeded() ? !done.result().saysNotProcessed() : GatewayException.from(done.cause()).sentUpstream()) {
        context.trace().attemptMayHaveTakenEffect();
      }
      String result = result(done.result(), done.cause(), context.cancellation().cancelled());
      context.trace().attemptEnded(target, exchange.attempt(), result, done.succeeded() ? done.result().status() : 0,
          clock.nanoTime() - start);
      events.attempt(target, result);
    });
  }

  /**
   * Names an attempt's result for the {@code reliapi_upstream_attempts_total} metric. An attempt cut short
   * because the client went away, or refused for an answer over the size limit, is no fault of the
   * upstream's network and is named apart, so "net" stays a signal about the upstream.
   */
  static String result(Reply reply, Throwable failure, boolean clientGone) {
    if (failure != null) {
      if (clientGone) {
        return "cancelled";
      }
      return switch (GatewayException.from(failure).code()) {
        case UPSTREAM_TIMEOUT -> "timeout";
        case UPSTREAM_RESPONSE_TOO_LARGE -> "too_large";
        default -> "net";
      };
    }
    int status = reply.status();
    return status >= 500 ? "http_5xx" : status >= 400 ? "http_4xx" : "success";
  }
}
