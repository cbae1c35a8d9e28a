package io.reliapi.policy.idempotency;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;

/**
 * The answers a keyed request gets instead of an execution (SPEC §3.4, §4): a conflicting reuse of its key, a first
 * request still running or whose outcome is unknown or was not kept, a client at its quota of keys.
 */
final class IdempotencyRefusals {
  static final long IN_PROGRESS_RETRY_AFTER_S = 1;

  private IdempotencyRefusals() {}

  static GatewayException conflict() {
    return GatewayException.of(ErrorCode.IDEMPOTENCY_CONFLICT,
        "This idempotency key was already used with a different request.");
  }

  static GatewayException inProgress() {
    return GatewayException.of(ErrorCode.IDEMPOTENCY_IN_PROGRESS,
        "A request with this idempotency key is still in progress; retry later.")
        .withRetryAfter(IN_PROGRESS_RETRY_AFTER_S);
  }

  static GatewayException outcomeUnknown() {
    return GatewayException.of(ErrorCode.IDEMPOTENCY_OUTCOME_UNKNOWN,
        "The outcome of the first request with this idempotency key is unknown, so it is not executed again.");
  }

  static GatewayException notStored() {
    return GatewayException.of(ErrorCode.IDEMPOTENCY_RESPONSE_NOT_STORED,
        "The first request with this idempotency key was executed, but its response could not be kept.");
  }

  /** The client holds its quota of keys; one of them expires in {@code retryAfterMs}. */
  static GatewayException overQuota(long retryAfterMs) {
    return GatewayException.of(ErrorCode.QUOTA_EXCEEDED,
        "This client holds as many idempotency keys as its quota allows; retry once one has expired.")
        .withRetryAfter(Math.max(1, (retryAfterMs + 999) / 1000));
  }
}
