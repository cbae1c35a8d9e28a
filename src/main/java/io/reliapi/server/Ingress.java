package io.reliapi.server;

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
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one proxy request: identify and authenticate the caller before any body is read, let the route
 * parse, run the pipeline, let the route render, and report the finished request once.
 */
final class Ingress {
  /** The status nginx logs for a client that closed the connection before the answer was written. */
  static final int CLIENT_CLOSED = 499;

  private final Clock clock;
  private final ClientKeys keys;
  private final Pipeline pipeline;
  private final GatewayEvents events;
  private final long maxBodyBytes;
  private final AtomicInteger inFlight;
  private final Tracing tracing;

  Ingress(Clock clock, ClientKeys keys, Pipeline pipeline, GatewayEvents events, long maxBodyBytes,
      AtomicInteger inFlight, Tracing tracing) {
    this.clock = clock;
    this.keys = keys;
    this.pipeline = pipeline;
    this.events = events;
    this.maxBodyBytes = maxBodyBytes;
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
    Future<Void> written;
    if (caller.isEmpty()) {
      written = failed(in, route, GatewayException.of(ErrorCode.UNAUTHORIZED, "A valid API key is required."));
    } else {
      written = run(in, route);
    }
    written.onComplete(done -> finish(in, route, done.cause()));
  }

  private Future<Void> run(Inbound in, ProxyRoute route) {
    Future<Void> written;
    try {
      if (InboundBody.declaredLength(in.request()) > maxBodyBytes) {
        throw InboundBody.tooLarge(maxBodyBytes);
      }
      written = route.exchange(in).transform(parsed -> {
        if (parsed.failed()) {
          return failed(in, route, GatewayException.from(parsed.cause()));
        }
        Exchange exchange = parsed.result();
        return pipeline.run(exchange).transform(outcome -> outcome.succeeded()
            ? reply(in, route, exchange, outcome.result())
            : failed(in, route, GatewayException.from(outcome.cause())));
      });
    } catch (GatewayException e) {
      written = failed(in, route, e);
    }
    return written;
  }

  /** Renders an answer; an answer the route cannot render (a stored body it cannot read) becomes an error. */
  private Future<Void> reply(Inbound in, ProxyRoute route, Exchange exchange, Reply reply) {
    try {
      return route.reply(in, exchange, reply);
    } catch (RuntimeException e) {
      reply.body().discard();
      return failed(in, route, GatewayException.from(e));
    }
  }

  private Future<Void> failed(Inbound in, ProxyRoute route, GatewayException error) {
    in.trace().errorCode(error.code());
    if (error.code() == ErrorCode.PAYLOAD_TOO_LARGE) {
      // The rest of the body is never read, so the connection cannot carry another request.
      in.request().response().putHeader("Connection", "close");
    }
    return route.fail(in, error);
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
