package io.reliapi.upstream;

import java.util.Optional;

/**
 * The time limit of one attempt and whose choice set it: the shortest of the target's {@code timeout_ms},
 * what is left of the request's deadline (the target's own, see {@code deadline_ms}) and the client's own
 * {@code timeout_ms}. When the client's is strictly the shortest, a timeout only means the client stopped
 * waiting sooner than the target's settings would have: it says nothing about the target. Pure.
 *
 * @param setByClient whether the client's {@code timeout_ms} is what ends the attempt
 */
public record AttemptLimit(long ms, boolean setByClient) {

  public static AttemptLimit of(long targetTimeoutMs, long deadlineLeftMs, Optional<Long> clientTimeoutMs) {
    long own = Math.min(targetTimeoutMs, deadlineLeftMs);
    if (clientTimeoutMs.isPresent() && clientTimeoutMs.get() < own) {
      return new AttemptLimit(clientTimeoutMs.get(), true);
    }
    return new AttemptLimit(own, false);
  }
}
