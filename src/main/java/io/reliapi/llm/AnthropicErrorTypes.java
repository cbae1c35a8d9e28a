package io.reliapi.llm;

import java.util.HashMap;
import java.util.Map;

/**
 * Anthropic's error types and the HTTP status its API answers each with, both ways from one table: the status an
 * error event of Anthropic's stream (or the same type relayed by an OpenAI-protocol proxy) stands for, and the type
 * the gateway's own errors carry on Anthropic's routes, so Anthropic SDKs raise their usual exception. An
 * {@code overloaded_error} is Anthropic's own 529, not 503 (both are retried).
 */
public final class AnthropicErrorTypes {
  private static final Map<String, Integer> STATUS = Map.of("invalid_request_error", 400,
      "authentication_error", 401, "billing_error", 402, "permission_error", 403, "not_found_error", 404,
      "request_too_large", 413, "rate_limit_error", 429, "timeout_error", 504, "overloaded_error", 529);
  private static final Map<Integer, String> TYPE = inverse(STATUS);

  private AnthropicErrorTypes() {}

  /** Returns the status Anthropic answers {@code type} with, or 0 when it is none of its types. */
  public static int status(String type) {
    return type == null ? 0 : STATUS.getOrDefault(type, 0);
  }

  /** Returns Anthropic's error type for {@code status}: its own, else {@code api_error} for a 5xx. */
  public static String type(int status) {
    return TYPE.getOrDefault(status, status >= 500 ? "api_error" : "invalid_request_error");
  }

  private static Map<Integer, String> inverse(Map<String, Integer> statuses) {
    Map<Integer, String> types = new HashMap<>();
    statuses.forEach((type, status) -> types.put(status, type));
    return Map.copyOf(types);
  }
}
