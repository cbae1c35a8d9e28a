package io.reliapi.server.anthropic;

import io.reliapi.error.GatewayException;
import io.reliapi.http.Json;
import io.reliapi.server.ErrorObject;
import io.reliapi.server.GatewayHeaders;
import io.reliapi.server.Inbound;
import io.reliapi.server.SseWriter;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
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

  /** Returns Anthropic's error type for an HTTP status. */
  static String type(int status) {
    return switch (status) {
      case 400 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 504 -> "timeout_error";
      case 529 -> "overloaded_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }

  static Future<Void> write(Inbound in, GatewayException error, Clock clock) {
    HttpServerResponse response = in.request().response();
    if (response.closed() || response.ended()) {
      return Future.succeededFuture();
    }
    if (in.hold().committed()) {
      // A keep-alive already sent the 200 of a held stream: the error goes in band, as after a stream began.
      return new SseWriter(in, clock, false).breakOffAfter(streamEvent(error, in));
    }
    response.setStatusCode(error.status());
    MultiMap headers = response.headers();
    GatewayHeaders.write(headers, in, clock);
    headers.set("request-id", in.requestId());
    headers.set("Content-Type", "application/json");
    headers.set("x-should-retry", Boolean.toString(ErrorObject.retryable(error)));
    if (error.retryAfterS() != null) {
      headers.set("Retry-After", Long.toString(error.retryAfterS()));
    }
    return response.end(json(error, in.requestId(), in.trace().target()));
  }

  /** Returns the {@code error} event that ends a stream which broke after it started. */
  static String streamEvent(GatewayException error, Inbound in) {
    return SseWriter.event("error", json(error, in.requestId(), in.trace().target()).toString());
  }

  /** Returns the error body; {@code details} holds the gateway's code and its whole SPEC §4 error object. */
  static Buffer json(GatewayException error, String requestId, String target) {
    return Json.write(out -> {
      out.writeStartObject();
      out.writeStringField("type", "error");
      out.writeObjectFieldStart("error");
      out.writeStringField("type", type(error.status()));
      out.writeStringField("message", error.code().name() + ": " + error.getMessage());
      out.writeObjectFieldStart("details");
      out.writeStringField("error_code", error.code().name());
      ErrorObject.writeMembers(out, error, target);
      out.writeEndObject();
      out.writeEndObject();
      out.writeStringField("request_id", requestId);
      out.writeEndObject();
    });
  }
}
