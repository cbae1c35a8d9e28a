package io.reliapi.observe;

import io.reliapi.pipeline.Route;
import io.reliapi.pipeline.Trace;

/**
 * One finished request, as metrics and the access log see it.
 *
 * @param target    the configured target that answered or was asked for; null when none was resolved
 * @param errorCode the code of the error object the client was shown (UPSTREAM_ERROR for an upstream's error answer
 *                  the route described as one), or null on success and on upstream answers passed through as they are
 */
public record CompletedRequest(
    String requestId,
    Route route,
    String client,
    String target,
    String method,
    int status,
    String errorCode,
    long durationNanos,
    Trace trace) {

  /** Returns the finished request whose target and error code are the ones {@code trace} recorded. */
  public static CompletedRequest of(String requestId, Route route, String client, String method, int status,
      long durationNanos, Trace trace) {
    String errorCode = trace.errorCode() == null ? null : trace.errorCode().name();
    return new CompletedRequest(requestId, route, client, trace.target(), method, status, errorCode, durationNanos,
        trace);
  }

  /** Returns {@code success} or {@code error}: an upstream answer of 400 or more is an error too. */
  public String outcome() {
    return outcome(status, errorCode);
  }

  /** Returns {@code success} or {@code error} for a request that ended with {@code status} and {@code errorCode}. */
  static String outcome(int status, String errorCode) {
    return status < 400 && errorCode == null ? "success" : "error";
  }
}
