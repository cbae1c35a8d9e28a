package io.reliapi.error;

/**
 * The closed set of errors the gateway reports (SPEC §4). Each code has one HTTP status, one error type
 * (named after OpenAI's so SDKs map them naturally), a fixed short title and whether retrying the same
 * request later can succeed.
 */
public enum ErrorCode {
  INVALID_REQUEST(400, "invalid_request_error", "Invalid request", false),
  INVALID_TARGET(400, "invalid_request_error", "Target is not an LLM target", false),
  UNAUTHORIZED(401, "authentication_error", "Unauthorized", false),
  FORBIDDEN(403, "permission_error", "Forbidden", false),
  TARGET_NOT_FOUND(404, "not_found_error", "Target not found", false),
  ROUTE_NOT_FOUND(404, "not_found_error", "Route not found", false),
  METHOD_NOT_ALLOWED(405, "invalid_request_error", "Method not allowed", false),
  PAYLOAD_TOO_LARGE(413, "invalid_request_error", "Payload too large", false),
  URI_TOO_LONG(414, "invalid_request_error", "Request line too long", false),
  HEADER_FIELDS_TOO_LARGE(431, "invalid_request_error", "Request header fields too large", false),
  REQUEST_TIMEOUT(408, "invalid_request_error", "Request body not received in time", true),
  IDEMPOTENCY_KEY_INVALID(400, "invalid_request_error", "Invalid idempotency key", false),
  IDEMPOTENCY_CONFLICT(422, "idempotency_error", "Idempotency key reused with a different request", false),
  IDEMPOTENCY_IN_PROGRESS(409, "idempotency_error", "Request with this idempotency key in progress", true),
  IDEMPOTENCY_RESPONSE_NOT_STORED(409, "idempotency_error", "Response to this idempotency key not stored", false),
  BUDGET_EXCEEDED(400, "invalid_request_error", "Cost estimate above the hard cap", false),
  MODEL_PRICE_UNKNOWN(400, "invalid_request_error", "Model has no known price", false),
  BUDGET_EXHAUSTED(429, "rate_limit_error", "Budget exhausted", true),
  RATE_LIMITED(429, "rate_limit_error", "Rate limited", true),
  QUOTA_EXCEEDED(429, "rate_limit_error", "Quota exceeded", true),
  UPSTREAM_RATE_LIMITED(429, "rate_limit_error", "Every deployment of the target is rate limited", true),
  UPSTREAM_ERROR(502, "upstream_error", "Upstream error", false),
  CIRCUIT_OPEN(503, "unavailable_error", "Circuit open", true),
  NETWORK_ERROR(502, "upstream_error", "Upstream network error", true),
  UPSTREAM_INVALID_RESPONSE(502, "upstream_error", "Invalid upstream response", true),
  UPSTREAM_RESPONSE_TOO_LARGE(502, "upstream_error", "Upstream response too large", false),
  IDEMPOTENCY_OUTCOME_UNKNOWN(504, "idempotency_error", "Outcome of the original request unknown", false),
  UPSTREAM_TIMEOUT(504, "upstream_error", "Upstream timeout", true),
  STORE_UNAVAILABLE(503, "unavailable_error", "State store unavailable", true),
  OVERLOADED(503, "unavailable_error", "Overloaded", true),
  SHUTTING_DOWN(503, "unavailable_error", "Gateway shutting down", true),
  INTERNAL_ERROR(500, "internal_error", "Internal error", true);

  private final int status;
  private final String type;
  private final String title;
  private final boolean retryable;

  ErrorCode(int status, String type, String title, boolean retryable) {
    this.status = status;
    this.type = type;
    this.title = title;
    this.retryable = retryable;
  }

  /** Returns the HTTP status; for {@link #UPSTREAM_ERROR} the upstream's own status is used instead. */
  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  /** Returns the fixed short text used as the problem+json {@code title}. */
  public String title() {
    return title;
  }

  public boolean retryable() {
    return retryable;
  }
}
