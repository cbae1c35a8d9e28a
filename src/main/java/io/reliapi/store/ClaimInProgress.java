package io.reliapi.store;

import io.vertx.core.Promise;
import java.util.Optional;

/**
 * A claim in progress in {@link InMemoryIdempotencyStore} and the signal its end is announced on, with the
 * decisions about it (times in monotonic milliseconds). A claim whose lease ended more than {@code ttlMs} ago has
 * outlived what Redis would keep of it, and is dropped as if released.
 */
record ClaimInProgress(IdempotencyRecord.InProgress record, IdempotencyScope scope, long ttlMs,
    Promise<Optional<IdempotencyRecord>> signal) {

  /** Returns the claim {@code request} makes of a free key at {@code now}, with a signal of its own. */
  static ClaimInProgress of(ClaimRequest request, long now) {
    return new ClaimInProgress(new IdempotencyRecord.InProgress(request.fingerprint(), request.token(),
        now + request.leaseMs()), request.scope(), request.ttlMs(), Promise.promise());
  }

  boolean outlived(long nowMillis) {
    return nowMillis - record.leaseExpiresAtMillis() >= ttlMs;
  }

  boolean ownedBy(String owner) {
    return record.owner().equals(owner);
  }

  /**
   * Decides for {@code request} finding this claim: the request's own (its attempt was sent again), taken over
   * (its lease ran out and the request names it as it is, never renewed since), or there to wait on.
   */
  Claim meet(ClaimRequest request, IdempotencyRecord.InProgress expired, long now) {
    if (ownedBy(request.token()) || record.equals(expired) && now >= record.leaseExpiresAtMillis()) {
      return new Claim.Leader(request.token());
    }
    return new Claim.Existing(record);
  }

  /**
   * Returns this claim held by {@code owner} until {@code leaseExpiresAtMillis}: renewed, or taken over. It keeps
   * the signal, so the old claim's waiters wait on for the new holder's outcome.
   */
  ClaimInProgress heldBy(String owner, long leaseExpiresAtMillis, IdempotencyScope scope, long ttlMs) {
    return new ClaimInProgress(new IdempotencyRecord.InProgress(record.fingerprint(), owner, leaseExpiresAtMillis),
        scope, ttlMs, signal);
  }
}
