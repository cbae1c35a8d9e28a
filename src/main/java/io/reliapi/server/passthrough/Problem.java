package io.reliapi.server.passthrough;

import io.reliapi.error.GatewayException;
import io.reliapi.http.Json;
import io.reliapi.server.ErrorObject;
import io.reliapi.server.GatewayHeaders;
import io.reliapi.server.Inbound;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/** Writes gateway failures as {@code application/problem+json} (RFC 9457), for {@code /t/} and other non-envelope routes. */
public final class Problem {
  private final Clock clock;

  public Problem(Clock clock) {
    this.clock = clock;
  }

  Future<Void> fail(Inbound in, GatewayException error) {
    HttpServerResponse response = in.request().response();
    if (response.closed() || response.ended()) {
      return Future.succeededFuture();
    }
    if (response.headWritten()) {
      // The upstream's answer already started: a truncated body is signalled by breaking the connection.
      return response.reset();
    }
    Buffer json = Json.write(out -> {
      out.writeStartObject();
      out.writeStringField("type", "urn:reliapi:error:" + error.code().name());
      out.writeStringField("title", error.code().title());
      out.writeNumberField("status", error.status());
      out.writeStringField("detail", error.getMessage());
      out.writeStringField("code", error.code().name());
      out.writeStringField("request_id", in.requestId());
      out.writeStringField("target", in.trace().target());
      out.writeBooleanField("retryable", ErrorObject.retryable(error));
      if (error.retryAfterS() != null) {
        out.writeNumberField("retry_after_s", error.retryAfterS());
      }
      if (error.upstreamStatus() != null) {
        out.writeNumberField("upstream_status", error.upstreamStatus());
      }
      if (!error.details().isEmpty()) {
        out.writeFieldName("details");
        Json.MAPPER.writeValue(out, error.details());
      }
      out.writeEndObject();
    });
    response.setStatusCode(error.status());
    var headers = response.headers();
    headers.clear();
    GatewayHeaders.write(headers, in, clock);
    ErrorObject.headers(headers, "application/problem+json", error);
    return response.end(json);
  }
}
