package io.reliapi.store;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * Records of idempotency keys, shared by every event loop (and, with Redis, by every instance). Each
 * operation is atomic on its key, so of any number of concurrent claims exactly one leads. The operations
 * map onto Redis as: claim = {@code SET NX PX} of an in-progress record (or a Lua script that also reads a
 * finished one); complete and release = Lua scripts that check the owner token, then publish a completion
 * message; await = subscribe, then read, so no completion is missed. Futures may complete on any thread.
 *
 * <p>Keys are opaque scope strings (client, target and key of the request). Finished records live for the
 * TTL given at completion, or less when memory runs short; an in-progress record is never evicted.
 */
public interface IdempotencyStore {

  /**
   * Claims {@code scope} for a request with {@code fingerprint}: {@link Claim.Leader} with a fresh owner
   * token when nothing was recorded (the claim's lease lasts {@code leaseMs}), else the existing record.
   */
  Future<Claim> claim(String scope, String fingerprint, long leaseMs);

  /**
   * Stores {@code outcome} for {@code ttlMs} in place of the claim held by {@code owner} and wakes every
   * waiter; returns false, changing nothing, when {@code owner} does not hold the claim.
   */
  Future<Boolean> complete(String scope, String owner, Outcome outcome, long ttlMs);

  /**
   * Forgets the claim held by {@code owner}, so the next claim leads, and wakes every waiter; returns
   * false, changing nothing, when {@code owner} does not hold the claim.
   */
  Future<Boolean> release(String scope, String owner);

  /**
   * Waits, at most {@code timeoutMs}, for the claim on {@code scope} to end. Completes with the finished
   * record, with empty when the claim was released (or nothing is recorded), or with the in-progress
   * record when the time ran out. Waiters are woken by the completion signal, never by polling.
   */
  Future<Optional<IdempotencyRecord>> await(String scope, long timeoutMs);
}
