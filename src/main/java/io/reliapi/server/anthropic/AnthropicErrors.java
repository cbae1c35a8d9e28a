package io.reliapi.server.anthropic;

import io.reliapi.error.GatewayException;
import io.reliapi.server.ErrorObject;
import io.reliapi.server.GatewayHeaders;
import io.reliapi.server.Inbound;
import io.reliapi.server.SseWriter;
import io.reliapi.server.llm.ErrorEvents;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;

/**
 * Gateway failures in Anthropic's error shape, {@code {"type": "error", "error": {"type", "message"},
 * "request_id"}}, with the gateway's statuses; the error type is Anthropic's for the status, so Anthropic SDKs
 * raise their usual exception. The message starts with the gateway's code ({@code BUDGET_EXCEEDED: ...}), which
 * is also {@code error.details.error_code} (Anthropic SDKs read it as the error code), beside the members of the
 * SPEC §4 error object. {@code x-should-retry} tells SDKs whether repeating the request can succeed.
 */
final class AnthropicErrors {
  private AnthropicErrors() {}

  static Future<Void> write(Inbound in, GatewayException error, Clock clock) {
    HttpServerResponse response = in.request().response();
    if (response.closed() || response.ended()) {
      return Future.succeededFuture();
    }
    if (in.hold().committed()) {
      // A keep-alive already sent the 200 of a held stream: the error goes in band and ends the stream, as after
      // a stream began (MessageEvents) and as Anthropic ends its own.
      SseWriter writer = new SseWriter(in, clock, false);
      writer.write(ErrorEvents.anthropic(error, in.requestId(), in.trace().target()), null);
      return writer.end();
    }
    response.setStatusCode(error.status());
    MultiMap headers = response.headers();
    GatewayHeaders.write(headers, in, clock);
    headers.set("request-id", in.requestId());
    ErrorObject.headers(headers, "application/json", error);
    headers.set("x-should-retry", Boolean.toString(ErrorObject.retryable(error)));
    return response.end(ErrorObject.anthropic(error, in.requestId(), in.trace().target()));
  }
}
