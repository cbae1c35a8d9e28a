package io.reliapi.observe;

import io.reliapi.pipeline.TrailEntry;
import java.util.List;

/**
 * A finished request as the admin API shows it: what the access log says, plus its trail of decisions.
 *
 * @param endedAtMillis when it ended, epoch milliseconds
 * @param traceId       the W3C trace id when it was traced, else null
 * @param dropped       trail entries past the trail's bound, counted only
 */
public record RequestRecord(
    String requestId,
    long endedAtMillis,
    String route,
    String client,
    String target,
    String method,
    int status,
    String outcome,
    String errorCode,
    long durationMs,
    String traceId,
    List<TrailEntry> trail,
    int dropped) {

  /** Returns whether the request ended in a gateway error or an upstream answer of 400 or more. */
  public boolean failed() {
    return "error".equals(outcome);
  }
}
