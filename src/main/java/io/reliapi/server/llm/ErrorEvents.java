package io.reliapi.server.llm;

import io.reliapi.error.GatewayException;
import io.reliapi.http.Json;
import io.reliapi.server.ErrorObject;

/**
 * The in-band error event that ends a broken stream, in each provider protocol's own shape, so a client's SDK
 * raises its usual error: OpenAI's {@code data: {"error": {"message", "type", "code", ...}}} with the rest of the
 * gateway's error object (SPEC §2.4, §4), Anthropic's
 * {@code event: error} with {@code {"type": "error", "error": {"type", "message"}}}.
 */
public final class ErrorEvents {
  private ErrorEvents() {}

  /** Returns the OpenAI error event, as the SSE text to write. */
  public static String openAi(GatewayException error, String target) {
    return "data: " + ErrorObject.openAi(error, target) + "\n\n";
  }

  /** Returns the Anthropic error event, as the SSE text to write. */
  public static String anthropic(GatewayException error) {
    return "event: error\ndata: " + Json.write(out -> {
      out.writeStartObject();
      out.writeStringField("type", "error");
      out.writeObjectFieldStart("error");
      out.writeStringField("type", error.code().type());
      out.writeStringField("message", error.getMessage());
      out.writeEndObject();
      out.writeEndObject();
    }) + "\n\n";
  }
}
