package io.reliapi.server;

import io.reliapi.config.ServerConfig;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Reply;
import io.reliapi.pipeline.Exchange;
import io.reliapi.observe.CompletedRequest;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.Cancellation;
import io.reliapi.pipeline.Pipeline;
import io.reliapi.pipeline.Trace;
import io.reliapi.pipeline.Tracing;
import io.reliapi.policy.access.ClientKeys;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one proxy request: identify and authenticate the caller before any body is read, let the route
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
  private final Pipeline pipeline;
  private final GatewayEvents events;
  private final ServerConfig limits;
  private final AtomicInteger inFlight;
  private final Tracing tracing;

  Ingress(Vertx vertx, Clock clock, ClientKeys keys, Pipeline pipeline, GatewayEvents events, ServerConfig limits,
      AtomicInteger inFlight, Tracing tracing) {
    this.vertx = vertx;
    this.clock = clock;
    this.keys = keys;
    this.pipeline = pipeline;
    this.events = events;
    this.limits = limits;
    this.inFlight = inFlight;
    this.tracing = tracing;
  }

  void handle(HttpServerRequest request, ProxyRoute route) {
    request.pause();
    inFlight.incrementAndGet();
    long start = clock.nanoTime();
    Cancellation cancellation = new Cancellation();
    request.response().closeHandler(v -> cancellation.cancel());
    var caller = keys.authenticate(request.getHeader("X-API-Key"), request.getHeader("Authorization"));
    Inbound in = new Inbound(request, RequestIds.from(request.getHeader("X-Request-ID")), start,
        caller.orElse(null), new Trace(null, tracing.start(request.getHeader("traceparent"), route.route(),
        request.method().name())), cancellation);
    BodyDeadline body = BodyDeadline.arm(vertx, request, limits.bodyTimeoutMs(), cancellation);
    Future<Void> written;
    if (caller.isEmpty()) {
      written = failed(in, route, body, GatewayException.of(ErrorCode.UNAUTHORIZED, "A valid API key is required."));
    } else {
      written = run(in, route, body);
    }
    written.onComplete(done -> {
      body.disarm();
      finish(in, route, done.cause());
    });
  }

  private Future<Void> run(Inbound in, ProxyRoute route, BodyDeadline body) {
    Future<Void> written;
    try {
      if (InboundBody.declaredLength(in.request()) > limits.maxBodyBytes()) {
        throw InboundBody.tooLarge(limits.maxBodyBytes());
      }
      written = body.bound(route.exchange(in)).transform(parsed -> {
        if (parsed.failed()) {
          return failed(in, route, body, GatewayException.from(parsed.cause()));
        }
        Exchange exchange = parsed.result();
        return pipeline.run(exchange).transform(outcome -> outcome.succeeded()
            ? reply(in, route, exchange, outcome.result())
            : failed(in, route, body, GatewayException.from(outcome.cause())));
      });
    } catch (GatewayException e) {
      written = failed(in, route, body, e);
    }
    return written;
  }

  /** Renders an answer; an answer the route cannot render (a stored body it cannot read) becomes an error. */
  private Future<Void> reply(Inbound in, ProxyRoute route, Exchange exchange, Reply reply) {
    try {
      return route.reply(in, exchange, reply);
    } catch (RuntimeException e) {
      reply.body().discard();
      return failed(in, route, BodyDeadline.none(), GatewayException.from(e));
    }
  }

  /** Answers a failure; a body that ran out of time is answered as such, whatever the attempt saw. */
  private Future<Void> failed(Inbound in, ProxyRoute route, BodyDeadline body, GatewayException error) {
    GatewayException shown = body.expired() ? body.timeout() : error;
    in.trace().errorCode(shown.code());
    HttpServerRequest request = in.request();
    if (!UnreadBody.pending(request)) {
      return route.fail(in, shown);
    }
    UnreadBody.announceClose(request.response());
    return route.fail(in, shown).andThen(written -> UnreadBody.drainAndClose(vertx, request));
  }

  private void finish(Inbound in, ProxyRoute route, Throwable writeFailure) {
    inFlight.decrementAndGet();
    var response = in.request().response();
    int status = in.cancellation().cancelled() && !response.ended() ? CLIENT_CLOSED : response.getStatusCode();
    String errorCode = in.trace().errorCode() == null ? null : in.trace().errorCode().name();
    String client = in.caller() == null ? null : in.caller().name();
    events.requestFinished(new CompletedRequest(in.requestId(), route.route(), client, in.trace().target(),
        in.request().method().name(), status, errorCode, clock.nanoTime() - in.startNanos(), in.trace()));
  }

  /** Returns the answerer of requests that match no route: plain error object, logged and counted. */
  Unrouted unrouted() {
    return new Unrouted();
  }

  /** Answers requests that reach no route, in the plain error object shape. */
  final class Unrouted {
    void fail(HttpServerRequest request, GatewayException error) {
      long start = clock.nanoTime();
      var json = io.reliapi.http.Json.write(out -> {
        out.writeStartObject();
        out.writeObjectFieldStart("error");
        ErrorObject.writeMembers(out, error, null);
        out.writeEndObject();
        out.writeEndObject();
      });
      Trace trace = new Trace(null);
      trace.errorCode(error.code());
      String id = RequestIds.from(request.getHeader("X-Request-ID"));
      request.response().setStatusCode(error.status()).putHeader("Content-Type", "application/json")
          .putHeader("X-Request-ID", id).end(json);
      events.requestFinished(new CompletedRequest(id, io.reliapi.pipeline.Route.NONE, null, null,
          request.method().name(), error.status(), error.code().name(), clock.nanoTime() - start, trace));
    }
  }
}
