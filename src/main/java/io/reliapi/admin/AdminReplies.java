package io.reliapi.admin;

import io.reliapi.error.GatewayException;
import io.reliapi.http.Json;
import io.reliapi.server.WholeBody;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/** The admin API's answers: JSON never cached nor sniffed, and errors as the SPEC §4 error object. */
final class AdminReplies {
  private AdminReplies() {
  }

  static void json(HttpServerRequest request, Buffer body) {
    // nosniff: no browser may read an answer (which may carry what a request sent) as a script or a page.
    WholeBody.end(request.response().putHeader("Content-Type", "application/json")
        .putHeader("X-Content-Type-Options", "nosniff").putHeader("Cache-Control", "no-store"), body);
  }

  static void error(HttpServerRequest request, GatewayException error) {
    request.response().setStatusCode(error.status());
    if (error.retryAfterS() != null) {
      request.response().putHeader("Retry-After", Long.toString(error.retryAfterS()));
    }
    json(request, Json.write(out -> {
      out.writeStartObject();
      out.writeObjectFieldStart("error");
      out.writeStringField("type", error.code().type());
      out.writeStringField("code", error.code().name());
      out.writeStringField("message", error.getMessage());
      out.writeBooleanField("retryable", error.code().retryable());
      out.writeNullField("target");
      out.writeNumberField("status_code", error.status());
      if (error.retryAfterS() != null) {
        out.writeNumberField("retry_after_s", error.retryAfterS());
      }
      out.writeEndObject();
      out.writeEndObject();
    }));
  }
}
