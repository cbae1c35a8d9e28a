package io.reliapi.error;

import java.util.Map;

/**
 * A failure the gateway reports to its client. Messages are written by the gateway itself and never
 * carry upstream URLs, secrets, bodies or exception names. Stackless: these are expected outcomes, and a
 * stack trace must never reach a client or a log.
 */
public final class GatewayException extends RuntimeException {
  private final ErrorCode code;
  private final Long retryAfterS;
  private final Integer upstreamStatus;
  private final Map<String, Object> details;
  private final boolean sentUpstream;

  private GatewayException(ErrorCode code, String message, Long retryAfterS, Integer upstreamStatus,
      Map<String, Object> details, boolean sentUpstream) {
    super(message, null, false, false);
    this.code = code;
    this.retryAfterS = retryAfterS;
    this.upstreamStatus = upstreamStatus;
    this.details = details == null ? Map.of() : Map.copyOf(details);
    this.sentUpstream = sentUpstream;
  }

  public static GatewayException of(ErrorCode code, String message) {
    return new GatewayException(code, message, null, null, null, false);
  }

  /** An upstream failure after the request may have reached the upstream: its outcome is unknown. */
  public static GatewayException afterSend(ErrorCode code, String message) {
    return new GatewayException(code, message, null, null, null, true);
  }

  public GatewayException withRetryAfter(long seconds) {
    return new GatewayException(code, getMessage(), Math.max(0, seconds), upstreamStatus, details, sentUpstream);
  }

  public GatewayException withDetails(Map<String, Object> details) {
    return new GatewayException(code, getMessage(), retryAfterS, upstreamStatus, details, sentUpstream);
  }

  public GatewayException withUpstreamStatus(int status) {
    return new GatewayException(code, getMessage(), retryAfterS, status, details, sentUpstream);
  }

  public ErrorCode code() {
    return code;
  }

  /** Returns the seconds a client should wait before retrying, or null when the code has none. */
  public Long retryAfterS() {
    return retryAfterS;
  }

  public Integer upstreamStatus() {
    return upstreamStatus;
  }

  public Map<String, Object> details() {
    return details;
  }

  /** Returns whether the request may have reached the upstream before the failure. */
  public boolean sentUpstream() {
    return sentUpstream;
  }

  /** Returns the HTTP status this failure is answered with. */
  public int status() {
    return code == ErrorCode.UPSTREAM_ERROR && upstreamStatus != null ? upstreamStatus : code.status();
  }

  /** Maps any throwable to a gateway failure; unknown ones become a generic internal error. */
  public static GatewayException from(Throwable failure) {
    if (failure instanceof GatewayException known) {
      return known;
    }
    return of(ErrorCode.INTERNAL_ERROR, "The gateway could not complete the request.");
  }
}
