package io.reliapi.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Optional;

/**
 * Records of idempotency keys, shared by every event loop (and, with Redis, by every instance). Each
 * operation is atomic on its key, so of any number of concurrent claims exactly one leads. The operations
 * map onto Redis as Lua scripts: claim and take-over create an in-progress record unless a live one is
 * there; renew, complete and release check the claim's token first (renew and complete re-assert a claim the store
 * lost within its holder's lease, see {@link #renew}), and complete and release then publish
 * a completion message; await registers for that message, then reads, so no completion is missed.
 * Futures may complete on any thread; a store that cannot be reached fails them with
 * {@link StoreUnavailableException}.
 *
 * <p>Every claim carries its attempt's token ({@link ClaimRequest}), and a claim is only ever settled by
 * the token that holds it. An operation that failed for want of an answer may still have happened: a
 * claim sent again with the same token recognises its own record, and a store that can lose answers
 * (Redis) frees a claim whose answer its caller never got, since that caller never executed.
 *
 * <p>Finished records live for the TTL given at completion, or less when memory runs short; an
 * in-progress record is never evicted. A claim whose lease ran out stays in place (its holder may still
 * finish), for at most {@code ttlMs} more.
 */
public interface IdempotencyStore {

  /**
   * Claims the request's scope: {@link Claim.Leader} with the request's token when nothing was recorded
   * (or the record there is this very attempt's claim), else the existing record.
   */
  Future<Claim> claim(ClaimRequest request);

  /**
   * Claims the request's scope in place of the claim {@code expired}, if that claim is still there exactly as
   * it was seen (same holder, lease never renewed since) and its lease has run out: of any number of concurrent
   * take-overs exactly one leads, and waiters of the old claim wait on for the new holder. A claim renewed since
   * it was seen is alive, whatever the clocks say. When nothing is recorded it claims like {@link #claim}; else
   * it returns the record that is there (a live claim, a newer holder's, or a finished one).
   */
  Future<Claim> takeOver(ClaimRequest request, IdempotencyRecord.InProgress expired);

  /**
   * Extends the lease of the claim held by {@code owner} (of a request with {@code fingerprint}) to {@code leaseMs}
   * from now; returns false, changing nothing, when {@code owner} no longer holds the claim: another request holds
   * the key, or it ended. A store that can lose its records (Redis) re-asserts a claim it finds missing (no record, or
   * another request's released key), since its holder is alive, and returns true; but only before
   * {@code reassertUntilMillis} (the gateway clock's epoch ms), the end of the lease its holder last secured: a holder
   * cut off for longer may have been taken over, and its key finished and expired since, so it returns false. The
   * in-memory store never loses a claim in progress.
   */
  Future<Boolean> renew(IdempotencyScope scope, String owner, String fingerprint, long leaseMs, long ttlMs,
      long reassertUntilMillis);

  /**
   * Stores {@code outcome} for {@code ttlMs} in place of the claim held by {@code owner} and wakes every
   * waiter; returns true too when {@code owner}'s outcome is stored already (a completion sent again), false,
   * changing nothing, when {@code owner} does not hold the claim. A store that can lose its records (Redis) also
   * stores it when the claim is missing (with {@code fingerprint}) before {@code reassertUntilMillis}, as
   * {@link #renew} re-asserts it, but never over another request's claim or record. A store that sends a
   * completion again when its answer was lost (Redis) completes the future with the answer to the last sending.
   */
  Future<Boolean> complete(IdempotencyScope scope, String owner, String fingerprint, Outcome outcome, long ttlMs,
      long reassertUntilMillis);

  /**
   * Forgets the claim held by {@code owner}, so the next claim leads, and wakes every waiter; returns
   * false, changing nothing, when {@code owner} does not hold the claim.
   */
  Future<Boolean> release(IdempotencyScope scope, String owner);

  /**
   * Waits, at most {@code timeoutMs}, for the claim on {@code scope} to end. Completes with the finished
   * record, with empty when the claim was released (or nothing is recorded), or, when the time ran out,
   * with the record as it is then (a claim in progress, its lease perhaps renewed). Waiters are woken by
   * the completion signal, never by polling.
   */
  default Future<Optional<IdempotencyRecord>> await(IdempotencyScope scope, long timeoutMs) {
    return await(scope, timeoutMs, Promise.<Void>promise().future());
  }

  /**
   * Waits as {@link #await(IdempotencyScope, long)} does, or until {@code stop} completes (the waiting request's
   * client hung up): then the wait fails at once with a {@link java.util.concurrent.CancellationException} and
   * this store forgets the waiter and its timer, holding nothing for a request that is gone.
   */
  Future<Optional<IdempotencyRecord>> await(IdempotencyScope scope, long timeoutMs, Future<?> stop);

  /** Returns how many requests of this instance wait in {@link #await} now: duplicates coalesced on a key. */
  int waitingCount();

  /**
   * Marks {@code waiter} (a token of its own) as a request waiting for the claim on {@code scope} to end, for at most
   * {@code forMs} from now: its wait's bound, so the mark of a waiter whose instance died goes with it. The holder
   * of a keyed LLM stream whose client hung up asks {@link #awaited} whether to read it on for its waiters. The
   * future fails when the store did not answer; the store then goes on trying to mark the waiter, within that bound
   * and until {@link #unmarkWaiting} is called.
   */
  Future<Void> markWaiting(IdempotencyScope scope, String waiter, long forMs);

  /** Removes the mark of {@code waiter} on {@code scope} (it stopped waiting); nothing when there is none. */
  Future<Void> unmarkWaiting(IdempotencyScope scope, String waiter);

  /**
   * Returns whether a request other than {@code except} (the asking leader's own token as a waiter, when it waited
   * before it led) is marked waiting on {@code scope} with a mark that has not run out.
   */
  Future<Boolean> awaited(IdempotencyScope scope, String except);

  /**
   * Returns the longest lease this store grants at once; a holder whose request may run longer renews
   * its claim. Unbounded by default: a store in the gateway's own memory dies with the holders of its
   * claims, so a claim never needs to outlive a dead holder there.
   */
  default long longestLeaseMs() {
    return Long.MAX_VALUE;
  }

  /**
   * Returns how long, in ms, until the lease of {@code running} (a claim as read from this store) runs out by
   * this store's time; zero or less once it has. Only the store knows the time its lease ends are written in.
   */
  long leaseLeftMs(IdempotencyRecord.InProgress running);

  /**
   * Returns how much longer this instance must see {@code running}, the claim of {@code scope} as just read,
   * unrenewed, by its own clock, before it presumes the holder dead (and takes over, or answers that the outcome is
   * unknown). Where holders renew on clocks of
   * their own (Redis: other instances), a lease end written by another clock cannot be trusted alone: a clock ahead
   * would see a live holder's lease run out. A live holder renews within every lease, so a lease's length watched
   * without a renewal proves it gone, whatever the skew. Counted from the first time this instance saw the claim so,
   * by whichever request: duplicates that each wait less than a lease add up. Zero where holders and waiters share
   * one clock (the gateway's own memory).
   */
  default long unrenewedForMs(IdempotencyScope scope, IdempotencyRecord.InProgress running) {
    return 0;
  }
}
