package io.reliapi.server;

import io.reliapi.config.ServerConfig;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Reply;
import io.reliapi.http.ByteBudget;
import io.reliapi.http.HeldBytes;
import io.reliapi.llm.ChatAnswer;
import io.reliapi.pipeline.Exchange;
import io.reliapi.observe.CompletedRequest;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.Cancellation;
import io.reliapi.pipeline.Pipeline;
import io.reliapi.pipeline.Trace;
import io.reliapi.pipeline.Tracing;
import io.reliapi.policy.access.ClientKeys;
import io.reliapi.policy.ratelimit.ClientRateLimit;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one proxy request: identify and authenticate the caller and take its rate-limit token before any body is
 * read, let the route
 * parse, run the pipeline, let the route render, and report the finished request once. The body must
 * arrive within {@code server.body_timeout_ms}; an error answered before the body was read ends the
 * connection, which cannot carry another request past the unread bytes.
 */
final class Ingress {
  /** The status nginx logs for a client that closed the connection before the answer was written. */
  static final int CLIENT_CLOSED = 499;

  private final Vertx vertx;
  private final Clock clock;
  private final ClientKeys keys;
  private final ClientRateLimit rateLimit;
  private final Pipeline pipeline;
  private final GatewayEvents events;
  private final ServerConfig limits;
  private final AtomicInteger inFlight;
  private final Tracing tracing;
  private final ByteBudget buffered;
  private final Unrouted unrouted;
  private final DrainCut drain = new DrainCut();

  Ingress(Vertx vertx, Clock clock, ClientKeys keys, ClientRateLimit rateLimit, Pipeline pipeline,
      GatewayEvents events, ServerConfig limits, AtomicInteger inFlight, Tracing tracing, ByteBudget buffered) {
    this.vertx = vertx;
    this.clock = clock;
    this.keys = keys;
    this.rateLimit = rateLimit;
    this.pipeline = pipeline;
    this.events = events;
    this.limits = limits;
    this.inFlight = inFlight;
    this.tracing = tracing;
    this.buffered = buffered;
    this.unrouted = new Unrouted(clock, events);
  }

  void handle(HttpServerRequest request, ProxyRoute route) {
    request.pause();
    inFlight.incrementAndGet();
    long start = clock.nanoTime();
    Cancellation cancellation = new Cancellation();
    request.response().closeHandler(v -> cancellation.cancel());
    PresentedKey key = PresentedKey.of(request);
    var caller = keys.authenticate(key.apiKey(), key.authorization());
    BodyDeadline body = BodyDeadline.arm(vertx, request, limits.bodyTimeoutMs(), cancellation);
    Inbound in = new Inbound(request, RequestIds.from(request.getHeader("X-Request-ID")), start,
        caller.orElse(null), new Trace(null, tracing.start(request.getHeader("traceparent"), route.route(),
        request.method().name())), cancellation, new StreamHold(vertx), body, new HeldBytes(buffered));
    drain.arrived(in);
    Future<Void> written;
    if (caller.isEmpty()) {
      written = failed(in, route, body, GatewayException.of(ErrorCode.UNAUTHORIZED, "A valid API key is required."));
    } else {
      written = admitted(in, route, body);
    }
    written.onComplete(done -> {
      body.disarm();
      finish(in, route, done.cause());
    });
  }

  /**
   * Takes the caller's rate-limit token before anything of the body is read: a client over its limit is refused
   * without the gateway reading (and buffering) its body, and without inviting it with {@code 100 Continue}. The
   * target a route knows without the body is recorded first, so the refusal is counted and logged under it.
   */
  private Future<Void> admitted(Inbound in, ProxyRoute route, BodyDeadline body) {
    route.nameTarget(in);
    Future<Void> taken = rateLimit.take(in.caller(), in.trace());
    if (taken.succeeded()) {
      return run(in, route, body);
    }
    return taken.transform(t -> t.succeeded() ? run(in, route, body)
        : failed(in, route, body, known(in, "ClientRateLimit.take", t.cause())));
  }

  private Future<Void> run(Inbound in, ProxyRoute route, BodyDeadline body) {
    Future<Void> written;
    try {
      if (InboundBody.declaredLength(in.request()) > limits.maxBodyBytes()) {
        throw InboundBody.tooLarge(limits.maxBodyBytes());
      }
      written = body.bound(route.exchange(in)).transform(parsed -> {
        if (parsed.failed()) {
          return failed(in, route, body, known(in, step(route, "exchange"), parsed.cause()));
        }
        Exchange exchange = parsed.result();
        return outcome(route, exchange).transform(outcome -> {
          in.hold().settle();
          return outcome.succeeded()
              ? reply(in, route, exchange, outcome.result())
              : failed(in, route, body, known(in, "Pipeline", outcome.cause()));
        });
      });
    } catch (RuntimeException | Error e) {
      written = failed(in, route, body, known(in, step(route, "exchange"), e));
    }
    return written;
  }

  /** Runs the pipeline as the route asks; a route that throws instead fails the outcome. */
  private Future<Reply> outcome(ProxyRoute route, Exchange exchange) {
    try {
      return route.run(exchange, pipeline);
    } catch (RuntimeException | Error e) {
      return Future.failedFuture(e);
    }
  }

  /** Returns a gateway failure as it is; anything else is a bug: reported, then answered INTERNAL_ERROR. */
  private GatewayException known(Inbound in, String step, Throwable failure) {
    if (!(failure instanceof GatewayException)) {
      events.internalError(step, in.requestId(), failure);
    }
    return GatewayException.from(failure);
  }

  /** Names a route's step for the internal error line and metric, e.g. {@code ProxyHttpRoute.reply}. */
  private static String step(ProxyRoute route, String method) {
    return route.getClass().getSimpleName() + "." + method;
  }

  /** Renders an answer; an answer the route cannot render (a stored body it cannot read) becomes an error. */
  private Future<Void> reply(Inbound in, ProxyRoute route, Exchange exchange, Reply reply) {
    reply.answer(ChatAnswer.Streaming.class).ifPresent(streaming -> drain.streaming(in, streaming.stream()));
    try {
      return route.reply(in, exchange, reply);
    } catch (RuntimeException | Error e) {
      reply.body().discard();
      return failed(in, route, BodyDeadline.none(), known(in, step(route, "reply"), e));
    }
  }

  /** Answers a failure; a body that ran out of time is answered as such, whatever the attempt saw. */
  private Future<Void> failed(Inbound in, ProxyRoute route, BodyDeadline body, GatewayException error) {
    GatewayException shown = body.expired() ? body.timeout() : drain.cut(in) ? DrainCut.error() : error;
    in.trace().errorCode(shown.code());
    if (UnreadBody.pending(in.request())) {
      UnreadBody.announceClose(in.request().response());  // then IdleClients drains the rest and closes
    }
    return render(in, route, shown);
  }

  /** Renders {@code error} in the route's shape; a route that cannot render its error is a bug, answered plainly. */
  private Future<Void> render(Inbound in, ProxyRoute route, GatewayException error) {
    try {
      return route.fail(in, error);
    } catch (RuntimeException | Error e) {
      events.internalError(step(route, "fail"), in.requestId(), e);
      in.trace().errorCode(ErrorCode.INTERNAL_ERROR);
      return Unrouted.lastResort(in.request().response(), in.requestId());
    }
  }

  private void finish(Inbound in, ProxyRoute route, Throwable writeFailure) {
    in.hold().settle();
    in.buffered().release();
    inFlight.decrementAndGet();
    var response = in.request().response();
    boolean cut = drain.cut(in);
    boolean hungUp = in.cancellation().cancelled() && !cut;
    drain.finished(in);
    int status = response.getStatusCode();
    if (!response.ended() && hungUp) {
      status = CLIENT_CLOSED;
    } else if (!response.ended() && cut) {
      // Cut by the drain before its answer ended (a /t/ stream, an answer still unwritten when the connection
      // closed): whatever the route saw of the cut (the pass-through's broken pipe), the drain ended it. The status
      // is the one sent, else the one it would have been answered with (not the unsent response's default 200).
      status = response.headWritten() ? status : ErrorCode.SHUTTING_DOWN.status();
      in.trace().errorCode(ErrorCode.SHUTTING_DOWN);
    }
    String client = in.caller() == null ? null : in.caller().name();
    events.requestFinished(CompletedRequest.of(in.requestId(), route.route(), client, in.request().method().name(),
        status, clock.nanoTime() - in.startNanos(), in.trace()));
  }

  /** The drain time is over: ends the requests still running, each in its route's shape ({@link DrainCut}). */
  void drainEnded() {
    drain.cutAll();
  }

  /** Returns the answerer of requests that match no route: plain error object, logged and counted. */
  Unrouted unrouted() {
    return unrouted;
  }
}
