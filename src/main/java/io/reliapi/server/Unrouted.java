package io.reliapi.server;

import io.reliapi.error.GatewayException;
import io.reliapi.http.Json;
import io.reliapi.observe.CompletedRequest;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.Route;
import io.reliapi.pipeline.Trace;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * Answers in the plain {@code {"error": {...}}} shape: requests that reach no route (logged and counted), and
 * proxy requests whose route could not even render its error ({@link #lastResort}).
 */
final class Unrouted {
  private final Clock clock;
  private final GatewayEvents events;

  Unrouted(Clock clock, GatewayEvents events) {
    this.clock = clock;
    this.events = events;
  }

  void fail(HttpServerRequest request, GatewayException error) {
    long start = clock.nanoTime();
    var json = plainError(error);
    Trace trace = new Trace(null);
    trace.errorCode(error.code());
    String id = RequestIds.from(request.getHeader("X-Request-ID"));
    UnreadBody.closeIfLeftUnread(request);
    ErrorObject.headers(request.response().headers(), "application/json", error);
    WholeBody.end(request.response().setStatusCode(error.status()).putHeader("X-Request-ID", id), json);
    events.requestFinished(CompletedRequest.of(id, Route.NONE, null, request.method().name(),
        error.status(), clock.nanoTime() - start, trace));
  }

  /**
   * Answers when the route could not even render its error: the plain error object if nothing was sent
   * yet, else the connection is reset, since a half-written answer must not look complete.
   */
  static Future<Void> lastResort(HttpServerResponse response, String requestId) {
    if (response.headWritten()) {
      return response.reset();
    }
    response.headers().clear();
    GatewayException error = GatewayException.from(null);
    ErrorObject.headers(response.headers(), "application/json", error);
    return response.setStatusCode(500).putHeader("Connection", "close")
        .putHeader("X-Request-ID", requestId).end(plainError(error));
  }

  private static Buffer plainError(GatewayException error) {
    return Json.write(out -> {
      out.writeStartObject();
      out.writeObjectFieldStart("error");
      ErrorObject.writeMembers(out, error, null);
      out.writeEndObject();
      out.writeEndObject();
    });
  }
}
