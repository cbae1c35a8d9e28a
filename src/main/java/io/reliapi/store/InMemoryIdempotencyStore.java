package io.reliapi.store;

import io.reliapi.time.Clock;
import io.reliapi.time.Scheduler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The idempotency records of one gateway instance. Claims in progress sit in their own map ({@link
 * InFlightClaims}), which is bounded by the clients' quotas and never evicted; finished records are kept per
 * client until their TTL ends, within a byte bound that evicts from the client holding the most ({@link
 * ClientRecords}). A claim and its finished record change under the key's lock of the claims map, so a claim can
 * never slip between a finished record being stored and its claim going away.
 */
public final class InMemoryIdempotencyStore implements IdempotencyStore {
  private final Clock clock;
  private final Scheduler scheduler;
  private final InFlightClaims inFlight = new InFlightClaims();
  private final AtomicInteger waiting = new AtomicInteger();
  private final ClientRecords records;
  private final WaiterMarks waiterMarks;

  public InMemoryIdempotencyStore(Clock clock, Scheduler scheduler, long maxBytes) {
    this.clock = clock;
    this.scheduler = scheduler;
    this.records = new ClientRecords(clock, maxBytes);
    this.waiterMarks = new WaiterMarks(clock);
  }

  @Override
  public Future<Claim> claim(ClaimRequest request) {
    return takeOver(request, null);
  }

  @Override
  public Future<Claim> takeOver(ClaimRequest request, IdempotencyRecord.InProgress expired) {
    Claim claim = tryClaim(request, expired);
    if (claim instanceof Claim.OverQuota) {
      // Claims nobody settled count until they are found outlived; look for them before refusing.
      String client = request.scope().client();
      inFlight.dropOutlived(client, monotonicMillis(), claimed -> records.unreserve(client));
      claim = tryClaim(request, expired);
    }
    return Future.succeededFuture(claim);
  }

  private Claim tryClaim(ClaimRequest request, IdempotencyRecord.InProgress expired) {
    Claim[] result = new Claim[1];
    ClaimInProgress[] stale = new ClaimInProgress[1];
    String client = request.scope().client();
    inFlight.change(request.scope(), current -> {
      long now = monotonicMillis();
      if (current != null && current.outlived(now)) {
        records.unreserve(client);
        stale[0] = current;
        current = null;
      }
      if (current != null) {
        result[0] = current.meet(request, expired, now);
        return result[0] instanceof Claim.Leader
            ? current.heldBy(request.token(), now + request.leaseMs(), request.scope(), request.ttlMs())
            : current;
      }
      IdempotencyRecord.Done done = records.get(request.scope());
      if (done != null) {
        result[0] = new Claim.Existing(done);
        return null;
      }
      if (!records.reserve(client, request.maxRecords())) {
        result[0] = new Claim.OverQuota(records.firstEndsInMs(client));
        return null;
      }
      result[0] = new Claim.Leader(request.token());
      return ClaimInProgress.of(request, now);
    });
    if (stale[0] != null) {
      stale[0].signal().tryComplete(Optional.empty());
    }
    return result[0];
  }

  @Override
  public long leaseLeftMs(IdempotencyRecord.InProgress running) {
    return running.leaseExpiresAtMillis() - monotonicMillis();
  }

  /**
   * Returns the time leases are judged by: the monotonic clock, which a wall-clock step (NTP, a VM resumed from
   * suspend) does not move, so a live holder's lease never seems over early. Every holder and waiter of these
   * claims is in this process, so nothing else has to read it. Finished records' TTLs are on the same clock
   * ({@link ClientRecords}; docs/guides/idempotency.md).
   */
  private long monotonicMillis() {
    return TimeUnit.NANOSECONDS.toMillis(clock.nanoTime());
  }

  @Override
  public Future<Boolean> renew(IdempotencyScope scope, String owner, String fingerprint, long leaseMs, long ttlMs,
      long reassertUntilMillis) {
    return Future.succeededFuture(inFlight.renew(scope, owner, monotonicMillis() + leaseMs, ttlMs));
  }

  @Override
  public Future<Boolean> complete(IdempotencyScope scope, String owner, String fingerprint, Outcome outcome,
      long ttlMs, long reassertUntilMillis) {
    IdempotencyRecord.Done[] stored = new IdempotencyRecord.Done[1];
    ClaimInProgress ended = inFlight.end(scope, owner, claimed -> {
      stored[0] = new IdempotencyRecord.Done(claimed.record().fingerprint(), outcome);
      records.finish(scope, owner, stored[0], ttlMs);
    });
    if (ended == null) {
      return Future.succeededFuture(records.finishedBy(scope, owner)); // a completion sent again finds its own
    }
    records.trim();
    ended.signal().complete(Optional.of(stored[0]));
    return Future.succeededFuture(true);
  }

  @Override
  public Future<Boolean> release(IdempotencyScope scope, String owner) {
    ClaimInProgress ended = inFlight.end(scope, owner, claimed -> records.unreserve(scope.client()));
    if (ended == null) {
      return Future.succeededFuture(false);
    }
    ended.signal().complete(Optional.empty());
    return Future.succeededFuture(true);
  }

  @Override
  public Future<Optional<IdempotencyRecord>> await(IdempotencyScope scope, long timeoutMs, Future<?> stop) {
    ClaimInProgress current = inFlight.get(scope);
    if (current == null) {
      return Future.succeededFuture(Optional.ofNullable(records.get(scope)));
    }
    Promise<Optional<IdempotencyRecord>> result = Promise.promise();
    current.signal().future().onSuccess(result::tryComplete);
    if (!result.future().isComplete()) {
      waiting.incrementAndGet();
      result.future().onComplete(done -> waiting.decrementAndGet());
      Scheduler.Cancellable timer = scheduler.schedule(Math.max(0, timeoutMs), () -> result.tryComplete(read(scope)));
      result.future().onComplete(done -> timer.cancel());
      stop.onComplete(stopped -> result.tryFail(new CancellationException("the waiting request is gone")));
    }
    return result.future();
  }

  @Override
  public Future<Void> markWaiting(IdempotencyScope scope, String waiter, long forMs) {
    waiterMarks.mark(scope, waiter, forMs);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> unmarkWaiting(IdempotencyScope scope, String waiter) {
    waiterMarks.unmark(scope, waiter);
    return Future.succeededFuture();
  }

  @Override
  public Future<Boolean> awaited(IdempotencyScope scope, String except) {
    return Future.succeededFuture(waiterMarks.awaited(scope, except));
  }

  /** Returns what is recorded under {@code scope} right now: a claim in progress, a finished record, or empty. */
  private Optional<IdempotencyRecord> read(IdempotencyScope scope) {
    ClaimInProgress current = inFlight.get(scope);
    return current != null ? Optional.of(current.record()) : Optional.ofNullable(records.get(scope));
  }

  @Override
  public int waitingCount() {
    return waiting.get();
  }

  /** Returns the number of claims in progress. */
  public int inFlightCount() {
    return inFlight.size();
  }

  /** Returns the bytes the finished records are estimated to hold. */
  public long finishedWeightedSize() {
    return records.weightedSize();
  }
}
