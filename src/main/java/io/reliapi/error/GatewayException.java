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
  private final boolean targetBlameless;
  private final boolean streamFault;
  private final boolean poolFull;

  private GatewayException(ErrorCode code, String message, Long retryAfterS, Integer upstreamStatus,
      Map<String, Object> details, boolean sentUpstream, boolean targetBlameless) {
    this(code, message, retryAfterS, upstreamStatus, details, sentUpstream, targetBlameless, false, false);
  }

  private GatewayException(ErrorCode code, String message, Long retryAfterS, Integer upstreamStatus,
      Map<String, Object> details, boolean sentUpstream, boolean targetBlameless, boolean streamFault,
      boolean poolFull) {
    super(message, null, false, false);
    this.code = code;
    this.retryAfterS = retryAfterS;
    this.upstreamStatus = upstreamStatus;
    this.details = details == null ? Map.of() : Map.copyOf(details);
    this.sentUpstream = sentUpstream;
    this.targetBlameless = targetBlameless;
    this.streamFault = streamFault;
    this.poolFull = poolFull;
  }

  public static GatewayException of(ErrorCode code, String message) {
    return new GatewayException(code, message, null, null, null, false, false);
  }

  /** An upstream failure after the request may have reached the upstream: its outcome is unknown. */
  public static GatewayException afterSend(ErrorCode code, String message) {
    return new GatewayException(code, message, null, null, null, true, false);
  }
  /**
   * The client hung up ({@code sent}: after the request went upstream): the request stops, and that says nothing
   * about the target, so no breaker counts it and it triggers no retry or fallback.
   */
  public static GatewayException clientGone(boolean sent) {
    String message = "The client closed the connection.";
    return (sent ? afterSend(ErrorCode.NETWORK_ERROR, message) : of(ErrorCode.NETWORK_ERROR, message))
        .withTargetBlameless();
  }


  public GatewayException withRetryAfter(long seconds) {
    return new GatewayException(code, getMessage(), Math.max(0, seconds), upstreamStatus, details, sentUpstream,
        targetBlameless, streamFault, poolFull);
  }

  public GatewayException withDetails(Map<String, Object> details) {
    return new GatewayException(code, getMessage(), retryAfterS, upstreamStatus, details, sentUpstream,
        targetBlameless, streamFault, poolFull);
  }

  public GatewayException withUpstreamStatus(int status) {
    return new GatewayException(code, getMessage(), retryAfterS, status, details, sentUpstream, targetBlameless,
        streamFault, poolFull);
  }

  /**
   * Returns this failure marked as saying nothing about the target's health: the client's own shorter time
   * limit or its hang-up ended the attempt, or no time was left to start it. Such a failure is final: it is not
   * retried, does not count for the breaker and does not send the request to a fallback.
   */
  public GatewayException withTargetBlameless() {
    return new GatewayException(code, getMessage(), retryAfterS, upstreamStatus, details, sentUpstream, true,
        streamFault, poolFull);
  }

  /**
   * Returns this failure marked as a fault of a provider's stream (a cut, a stall, a malformed event): before
   * the stream is committed to the client it is retried in class {@code net} whatever its code (SPEC §3.1).
   */
  public GatewayException withStreamFault() {
    return new GatewayException(code, getMessage(), retryAfterS, upstreamStatus, details, sentUpstream,
        targetBlameless, true, poolFull);
  }

  /**
   * Returns this failure marked as the refusal of one connection pool: every connection of the upstream client
   * the attempt was given was busy, and nothing was sent. Another deployment of the target, with a pool of its
   * own, may take the same attempt at once.
   */
  public GatewayException withPoolFull() {
    return new GatewayException(code, getMessage(), retryAfterS, upstreamStatus, details, sentUpstream,
        targetBlameless, streamFault, true);
  }

  /** Returns whether one connection pool refused the attempt (see {@link #withPoolFull()}). */
  public boolean poolFull() {
    return poolFull;
  }

  /** Returns whether this is a fault of a provider's stream (see {@link #withStreamFault()}). */
  public boolean streamFault() {
    return streamFault;
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

  /** Returns whether the failure says nothing about the target's health (see {@link #withTargetBlameless()}). */
  public boolean targetBlameless() {
    return targetBlameless;
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
