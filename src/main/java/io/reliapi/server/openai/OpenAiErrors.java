package io.reliapi.server.openai;

import io.reliapi.error.GatewayException;
import io.reliapi.server.ErrorObject;
import io.reliapi.server.GatewayHeaders;
import io.reliapi.server.Inbound;
import io.reliapi.server.SseWriter;
import io.reliapi.server.llm.ErrorEvents;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Gateway failures in OpenAI's error shape, {@code {"error": {"message", "type", "code", "param": null}}} plus the
 * other members of the gateway's error object ({@code retryable}, {@code target}, {@code status_code}, and
 * {@code upstream_status}, {@code retry_after_s}, {@code details} where they apply; SPEC §4), with the gateway's
 * status codes and codes (SPEC §2.4), so OpenAI SDKs raise their usual exception per status. The
 * Responses API ({@code /v1/responses}) uses the same shape.
 */
public final class OpenAiErrors {
  private OpenAiErrors() {}

  public static Future<Void> write(Inbound in, GatewayException error, Clock clock) {
    HttpServerResponse response = in.request().response();
    if (response.closed() || response.ended()) {
      return Future.succeededFuture();
    }
    if (in.hold().committed()) {
      // A keep-alive already committed the stream: the failure is its in-band error event, as a broken stream's.
      return new SseWriter(in, clock, false).breakOffAfter(ErrorEvents.openAi(error, in.trace().target()));
    }
    Buffer json = ErrorObject.openAi(error, in.trace().target());
    response.setStatusCode(error.status());
    var headers = response.headers();
    GatewayHeaders.write(headers, in, clock);
    ErrorObject.headers(headers, "application/json", error);
    return response.end(json);
  }
}
