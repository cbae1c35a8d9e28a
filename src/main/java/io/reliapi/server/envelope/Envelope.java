package io.reliapi.server.envelope;

import com.fasterxml.jackson.core.JsonGenerator;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Body;
import io.reliapi.http.Json;
import io.reliapi.http.Reply;
import io.reliapi.server.ErrorObject;
import io.reliapi.server.GatewayHeaders;
import io.reliapi.server.Inbound;
import io.reliapi.server.UpstreamBody;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;


/**
 * Writes the JSON envelope of the {@code /proxy/*} routes: {@code success}, then {@code data} and/or
 * {@code error}, then {@code meta}, which always carries every field of its route.
 */
public final class Envelope {
  private final Clock clock;
  private final Meta meta;

  /** Writes the members of one route's {@code meta} object, every one of them, null where it does not apply. */
  @FunctionalInterface
  interface Meta {
    void write(JsonGenerator out, Inbound in, long durationMs) throws IOException;
  }

  /** An envelope with the {@code meta} of {@code /proxy/http}. */
  public Envelope(Clock clock) {
    this(clock, Envelope::httpMeta);
  }

  Envelope(Clock clock, Meta meta) {
    this.clock = clock;
    this.meta = meta;
  }

  Meta meta() {
    return meta;
  }

  /** Writes a successful answer whose {@code data} object {@code data} writes (its members, without braces). */
  Future<Void> success(Inbound in, int status, Json.Writer data) {
    Buffer json = Json.write(out -> {
      out.writeStartObject();
      out.writeBooleanField("success", true);
      out.writeObjectFieldStart("data");
      data.write(out);
      out.writeEndObject();
      meta(out, in);
      out.writeEndObject();
    });
    return send(in, status, json, null, null);
  }

  /** Writes the answer of an HTTP upstream; a status of 400 or more also gets an UPSTREAM_ERROR object. */
  Future<Void> reply(Inbound in, Reply reply) {
    byte[] bytes = reply.body() instanceof Body.Bytes b ? b.bytes().getBytes() : new byte[0];
    GatewayException upstreamError =
        reply.status() >= 400 ? ErrorObject.upstreamError(reply, clock.epochMillis()) : null;
    if (upstreamError != null) {
      // The client is shown UPSTREAM_ERROR: the access log and reliapi_errors_total say so too.
      in.trace().errorCode(upstreamError.code());
    }
    // The answer is embedded once, next to headers and meta of a few hundred bytes.
    Buffer json = Json.write(bytes.length + 1024, out -> {
      out.writeStartObject();
      out.writeBooleanField("success", upstreamError == null);
      out.writeObjectFieldStart("data");
      out.writeNumberField("status_code", reply.status());
      out.writeObjectFieldStart("headers");
      for (var header : reply.headers().toLowerCaseMap().entrySet()) {
        out.writeStringField(header.getKey(), header.getValue());
      }
      out.writeEndObject();
      UpstreamBody.write(out, reply.headers().get("content-type"), bytes);
      out.writeEndObject();
      if (upstreamError != null) {
        error(out, upstreamError, in);
      }
      meta(out, in);
      out.writeEndObject();
    });
    return send(in, envelopeStatus(reply.status()), json, upstreamError,
        upstreamError == null ? null : reply.headers().get("retry-after"));
  }

  /**
   * Returns the HTTP status of an envelope: the upstream's, except where HTTP forbids a body (204, 304),
   * since the envelope is a body; then 200, with the real status in {@code data.status_code}.
   */
  static int envelopeStatus(int upstreamStatus) {
    return upstreamStatus == 204 || upstreamStatus == 304 ? 200 : upstreamStatus;
  }

  /** Writes a failure of the gateway itself: no {@code data}, only {@code error} and {@code meta}. */
  Future<Void> fail(Inbound in, GatewayException error) {
    Buffer json = Json.write(out -> {
      out.writeStartObject();
      out.writeBooleanField("success", false);
      error(out, error, in);
      meta(out, in);
      out.writeEndObject();
    });
    return send(in, error.status(), json, error, null);
  }

  private void error(JsonGenerator out, GatewayException error, Inbound in) throws IOException {
    out.writeObjectFieldStart("error");
    ErrorObject.writeMembers(out, error, in.trace().target());
    out.writeEndObject();
  }

  private void meta(JsonGenerator out, Inbound in) throws IOException {
    out.writeObjectFieldStart("meta");
    meta.write(out, in, GatewayHeaders.elapsedMs(in, clock));
    out.writeEndObject();
  }

  private static void httpMeta(JsonGenerator out, Inbound in, long durationMs) throws IOException {
    var trace = in.trace();
    out.writeStringField("request_id", in.requestId());
    out.writeStringField("target", trace.target());
    out.writeBooleanField("cache_hit", trace.cacheHit());
    out.writeBooleanField("idempotent_hit", trace.idempotentHit());
    out.writeNumberField("retries", trace.retries());
    out.writeNumberField("duration_ms", durationMs);
    out.writeBooleanField("fallback_used", trace.fallbackUsed());
    out.writeStringField("fallback_target", trace.fallbackTarget());
    out.writeStringField("deployment", trace.deployment());
    out.writeStringField("fallback_reason", trace.fallbackUsed() ? trace.fallbackReason() : null);
  }

  /**
   * Sends an envelope; one carrying a gateway error object ({@code error}) gets its headers, and the upstream's
   * own {@code Retry-After} ({@code retryAfter}) when its answer is embedded.
   */
  private Future<Void> send(Inbound in, int status, Buffer json, GatewayException error, String retryAfter) {
    HttpServerResponse response = in.request().response();
    if (response.closed() || response.ended()) {
      return Future.succeededFuture();
    }
    response.setStatusCode(status);
    var headers = response.headers();
    GatewayHeaders.write(headers, in, clock);
    if (error != null) {
      ErrorObject.headers(headers, "application/json", error);
    } else {
      GatewayHeaders.ownBody(headers, "application/json");
    }
    if (retryAfter != null) {
      headers.set("Retry-After", retryAfter);
    }
    return response.end(json);
  }
}
