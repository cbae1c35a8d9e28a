package io.reliapi.policy.circuit;

import io.reliapi.config.RetryMatrix.ErrorClass;
import io.reliapi.policy.Outcome;

/**
 * How one attempt counts for its target's breaker (SPEC §3.2): 5xx, {@code net} and {@code timeout} are
 * failures; any other answer, 4xx included, is a success; a 429 (rate limiting, not failure), an attempt
 * the client abandoned or cut short with its own shorter {@code timeout_ms}, a full connection pool and a
 * rejection before the upstream was called do not count at all.
 */
public enum BreakerVerdict {
  SUCCESS, FAILURE, IGNORED;

  public static BreakerVerdict of(Outcome outcome, boolean clientGone) {
    if (clientGone) {
      return IGNORED;
    }
    var errorClass = outcome.errorClass();
    if (errorClass.isPresent()) {
      return errorClass.get() == ErrorClass.RATE_LIMITED ? IGNORED : FAILURE;
    }
    return outcome instanceof Outcome.Answered ? SUCCESS : IGNORED;
  }
}
