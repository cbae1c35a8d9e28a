package io.reliapi.upstream;

import io.reliapi.config.DeploymentConfig;
import io.reliapi.error.GatewayException;
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
 * The end of the pipeline: one attempt on the exchange's target, through the client of its deployment when
 * one was chosen for it (see {@link UpstreamClient#key}). The attempt's timeout is the shortest of
 * the target's {@code timeout_ms}, the client's {@code timeout_ms} and what is left of the deadline
 * ({@link AttemptLimit}); an answer that is not read whole must end by the target's {@code stream_max_s}, else
 * by the deadline.
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
    long now = clock.nanoTime();
    long leftMs = context.msLeft(now);
    long streamLeftMs = TimeUnit.NANOSECONDS.toMillis(
        exchange.target().streamEndNanos(context.startNanos(), context.deadlineNanos()) - now);
    if (leftMs <= 0 || !context.bufferReplies() && streamLeftMs <= 0) {
      // Nothing is tried: the request's time ran out before (e.g. while the client was still sending its body).
      return Future.failedFuture(Failures.timeout(false).withTargetBlameless());
    }
    Attempt attempt = new Attempt(AttemptLimit.of(exchange.target().timeoutMs(), leftMs, context.attemptTimeoutMs()),
        streamLeftMs, context.bufferReplies(), maxResponseBytes, context.cancellation(), context.requestId(),
        context.buffered());
    long start = clock.nanoTime();
    exchange.sent().mark(start);
    String deployment = exchange.deployment().map(DeploymentConfig::name).orElse(null);
    Traced.Call traced = Traced.call(exchange);
    return clients.get(UpstreamClient.key(target, deployment)).send(traced.call(), attempt).andThen(done -> {
      if (done.succeeded() ? !done.result().saysNotProcessed() : GatewayException.from(done.cause()).sentUpstream()) {
        context.trace().attemptMayHaveTakenEffect();
      }
      String result = result(done.result(), done.cause(), context.cancellation().cancelled());
      context.trace().attemptEnded(traced.span(), target, deployment, exchange.attempt(), result,
          done.succeeded() ? done.result().status() : 0, clock.nanoTime() - start);
      events.attempt(target, deployment, result);
    });
  }

  /**
   * Names an attempt's result for the {@code reliapi_upstream_attempts_total} metric. An attempt cut short
   * because the client went away or by the client's own shorter {@code timeout_ms}, refused because every
   * connection to the target was busy, or refused for an answer over the size limit, is no fault of the
   * upstream and is named apart, so "net" and "timeout" stay signals about the upstream.
   */
  static String result(Reply reply, Throwable failure, boolean clientGone) {
    if (failure != null) {
      if (clientGone) {
        return "cancelled";
      }
      GatewayException error = GatewayException.from(failure);
      return switch (error.code()) {
        case UPSTREAM_TIMEOUT -> error.targetBlameless() ? "client_timeout" : "timeout";
        case UPSTREAM_RESPONSE_TOO_LARGE -> "too_large";
        case OVERLOADED -> "overloaded";
        default -> "net";
      };
    }
    int status = reply.status();
    return status >= 500 ? "http_5xx" : status >= 400 ? "http_4xx" : "success";
  }
}
