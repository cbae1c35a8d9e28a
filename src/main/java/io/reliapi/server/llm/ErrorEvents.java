package io.reliapi.server.llm;

import io.reliapi.error.GatewayException;
import io.reliapi.server.ErrorObject;

/**
 * The in-band error event that ends a broken stream, in each provider protocol's own shape, so a client's SDK
 * raises its usual error: OpenAI's {@code data: {"error": {"message", "type", "code", ...}}} with the rest of the
 * gateway's error object (SPEC §2.4, §4), Anthropic's {@code event: error} with
 * {@code {"type": "error", "error": {"type", "message", "details"}, "request_id"}} and Anthropic's error type for
 * the status, on {@code /v1/messages} and on an Anthropic target's raw routes alike.
 */
public final class ErrorEvents {
  private ErrorEvents() {}

  /** Returns the OpenAI error event, as the SSE text to write. */
  public static String openAi(GatewayException error, String target) {
    return "data: " + ErrorObject.openAi(error, target) + "\n\n";
  }

  /** Returns the Anthropic error event (Anthropic's wrapper of the gateway's error object), as SSE text. */
  public static String anthropic(GatewayException error, String requestId, String target) {
    return "event: error\ndata: " + ErrorObject.anthropic(error, requestId, target) + "\n\n";
  }
}
