package io.reliapi.server;

import com.fasterxml.jackson.core.JsonGenerator;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Json;
import io.reliapi.http.Reply;
import io.reliapi.llm.AnthropicErrorTypes;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/** The one error object of SPEC §4, written into whichever wrapper a route uses. */
public final class ErrorObject {
  private ErrorObject() {}

  /** Writes the object's members (without braces) for a gateway failure. */
  public static void writeMembers(JsonGenerator out, GatewayException error, String target) throws IOException {
    ErrorCode code = error.code();
    out.writeStringField("type", code.type());
    out.writeStringField("code", code.name());
    out.writeStringField("message", error.getMessage());
    out.writeBooleanField("retryable", retryable(error));
    out.writeStringField("target", target);
    out.writeNumberField("status_code", error.status());
    if (error.upstreamStatus() != null) {
      out.writeNumberField("upstream_status", error.upstreamStatus());
    }
    if (error.retryAfterS() != null) {
      out.writeNumberField("retry_after_s", error.retryAfterS());
    }
    if (!error.details().isEmpty()) {
      out.writeFieldName("details");
      Json.MAPPER.writeValue(out, error.details());
    }
  }

  /**
   * Returns the object in OpenAI's wrapper, {@code {"error": {..., "param": null}}}: OpenAI's members (message,
   * type, code, param) and the rest beside them, which OpenAI SDKs keep. {@code target} may be null.
   */
  public static Buffer openAi(GatewayException error, String target) {
    return Json.write(out -> {
      out.writeStartObject();
      out.writeObjectFieldStart("error");
      writeMembers(out, error, target);
      out.writeNullField("param");
      out.writeEndObject();
      out.writeEndObject();
    });
  }

  /** Returns Anthropic's error type for an HTTP status, so Anthropic SDKs raise their usual exception. */
  public static String anthropicType(int status) {
    return AnthropicErrorTypes.type(status);
  }

  /**
   * Returns the object in Anthropic's wrapper, {@code {"type": "error", "error": {"type", "message", "details"},
   * "request_id"}}: the type Anthropic's for the status, the message led by the gateway's code, and
   * {@code details} holding that code ({@code error_code}) and the whole object. {@code target} may be null.
   */
  public static Buffer anthropic(GatewayException error, String requestId, String target) {
    return Json.write(out -> {
      out.writeStartObject();
      out.writeStringField("type", "error");
      out.writeObjectFieldStart("error");
      out.writeStringField("type", anthropicType(error.status()));
      out.writeStringField("message", error.code().name() + ": " + error.getMessage());
      out.writeObjectFieldStart("details");
      out.writeStringField("error_code", error.code().name());
      writeMembers(out, error, target);
      out.writeEndObject();
      out.writeEndObject();
      out.writeStringField("request_id", requestId);
      out.writeEndObject();
    });
  }

  /**
   * Sets the headers of an answer whose body is a gateway-made error: its {@code contentType}, the gateway's own
   * ({@link GatewayHeaders#ownBody}), and {@code Retry-After} when the error says when to retry. Upstream answers
   * passed through keep their own.
   */
  public static void headers(MultiMap headers, String contentType, GatewayException error) {
    GatewayHeaders.ownBody(headers, contentType);
    if (error.retryAfterS() != null) {
      headers.set("Retry-After", Long.toString(error.retryAfterS()));
    }
  }

  public static boolean retryable(GatewayException error) {
    if (error.code() == ErrorCode.UPSTREAM_ERROR && error.upstreamStatus() != null) {
      int status = error.upstreamStatus();
      return status == 429 || status >= 500 && status != 501 && status != 505;
    }
    return error.code().retryable();
  }

  /** Describes an upstream answer of 400 or more as the gateway's UPSTREAM_ERROR (SPEC §2.2). */
  public static GatewayException upstreamError(Reply reply, long nowEpochMillis) {
    GatewayException error = GatewayException.of(ErrorCode.UPSTREAM_ERROR,
        "The upstream answered with status " + reply.status() + ".").withUpstreamStatus(reply.status());
    return RetryAfterHeader.onto(error, reply, nowEpochMillis);
  }
}
