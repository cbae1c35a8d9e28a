package io.reliapi.store;

import io.reliapi.time.Clock;
import io.reliapi.time.Scheduler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The idempotency records of one gateway instance. Claims in progress sit in their own map, which is
 * bounded by the number of requests in flight and never evicted; finished records sit in a cache bounded
 * by bytes, where they expire after their TTL. Both maps change together under the key's lock of the
 * claims map, so a claim can never slip between a finished record being stored and its claim going away.
 */
public final class InMemoryIdempotencyStore implements IdempotencyStore {
  private final Clock clock;
  private final Scheduler scheduler;
  private final ConcurrentHashMap<String, Claimed> inFlight = new ConcurrentHashMap<>();
  private final ExpiringCache<IdempotencyRecord.Done> finished;

  public InMemoryIdempotencyStore(Clock clock, Scheduler scheduler, long maxBytes) {
    this.clock = clock;
    this.scheduler = scheduler;
    this.finished = new ExpiringCache<>(clock, maxBytes, done -> 2L * done.fingerprint().length() + done.outcome().weight());
  }

  @Override
  public Future<Claim> claim(ClaimRequest request) {
    return takeOver(request, null);
  }

  @Override
  public Future<Claim> takeOver(ClaimRequest request, String expiredOwner) {
    Claim[] result = new Claim[1];
    Claimed[] stale = new Claimed[1];
    inFlight.compute(request.scope().id(), (key, current) -> {
      long now = clock.epochMillis();
      if (current != null && current.outlived(now)) {
        stale[0] = current;
        current = null;
      }
      if (current != null) {
        IdempotencyRecord.InProgress running = current.record();
        if (running.owner().equals(request.token())) {
          result[0] = new Claim.Leader(request.token());
          return current;
        }
        if (!running.owner().equals(expiredOwner) || !running.leaseExpired(now)) {
          result[0] = new Claim.Existing(running);
          return current;
        }
        result[0] = new Claim.Leader(request.token());
        // The new holder keeps the signal, so the old claim's waiters wait on for its outcome.
        return new Claimed(new IdempotencyRecord.InProgress(running.fingerprint(), request.token(),
            now + request.leaseMs()), request.ttlMs(), current.signal());
      }
      IdempotencyRecord.Done done = finished.get(key);
      if (done != null) {
        result[0] = new Claim.Existing(done);
        return null;
      }
      result[0] = new Claim.Leader(request.token());
      return new Claimed(new IdempotencyRecord.InProgress(request.fingerprint(), request.token(),
          now + request.leaseMs()), request.ttlMs(), Promise.promise());
    });
    if (stale[0] != null) {
      stale[0].signal().tryComplete(Optional.empty());
    }
    return Future.succeededFuture(result[0]);
  }

  @Override
  public Future<Boolean> renew(IdempotencyScope scope, String owner, long leaseMs, long ttlMs) {
    boolean[] renewed = {false};
    inFlight.computeIfPresent(scope.id(), (key, current) -> {
      if (!current.record().owner().equals(owner)) {
        return current;
      }
      renewed[0] = true;
      return new Claimed(new IdempotencyRecord.InProgress(current.record().fingerprint(), owner,
          clock.epochMillis() + leaseMs), ttlMs, current.signal());
    });
    return Future.succeededFuture(renewed[0]);
  }

  @Override
  public Future<Boolean> complete(IdempotencyScope scope, String owner, Outcome outcome, long ttlMs) {
    IdempotencyRecord.Done[] stored = new IdempotencyRecord.Done[1];
    Claimed ended = end(scope.id(), owner, claimed -> {
      stored[0] = new IdempotencyRecord.Done(claimed.record().fingerprint(), outcome);
      finished.put(scope.id(), stored[0], ttlMs);
    });
    if (ended == null) {
      return Future.succeededFuture(false);
    }
    ended.signal().complete(Optional.of(stored[0]));
    return Future.succeededFuture(true);
  }

  @Override
  public Future<Boolean> release(IdempotencyScope scope, String owner) {
    Claimed ended = end(scope.id(), owner, claimed -> {});
    if (ended == null) {
      return Future.succeededFuture(false);
    }
    ended.signal().complete(Optional.empty());
    return Future.succeededFuture(true);
  }

  @Override
  public Future<Optional<IdempotencyRecord>> await(IdempotencyScope scope, long timeoutMs) {
    String id = scope.id();
    Claimed current = inFlight.get(id);
    if (current == null) {
      return Future.succeededFuture(Optional.ofNullable(finished.get(id)));
    }
    Promise<Optional<IdempotencyRecord>> result = Promise.promise();
    current.signal().future().onSuccess(result::tryComplete);
    if (!result.future().isComplete()) {
      Scheduler.Cancellable timer = scheduler.schedule(Math.max(0, timeoutMs), () -> result.tryComplete(read(id)));
      result.future().onComplete(done -> timer.cancel());
    }
    return result.future();
  }

  /** Returns what is recorded under {@code scope} right now: a claim in progress, a finished record, or empty. */
  private Optional<IdempotencyRecord> read(String scope) {
    Claimed current = inFlight.get(scope);
    return current != null ? Optional.of(current.record()) : Optional.ofNullable(finished.get(scope));
  }

  /** Returns the number of claims in progress. */
  public int inFlightCount() {
    return inFlight.size();
  }

  /** Returns the bytes the finished records are estimated to hold. */
  public long finishedWeightedSize() {
    return finished.weightedSize();
  }

  /** Removes the claim of {@code owner}, running {@code andThen} under its lock; returns it, or null. */
  private Claimed end(String scope, String owner, java.util.function.Consumer<Claimed> andThen) {
    Claimed[] ended = new Claimed[1];
    inFlight.computeIfPresent(scope, (key, current) -> {
      if (!current.record().owner().equals(owner)) {
        return current;
      }
      andThen.accept(current);
      ended[0] = current;
      return null;
    });
    return ended[0];
  }

  /**
   * A claim in progress and the signal its end is announced on. A claim whose lease ended more than
   * {@code ttlMs} ago has outlived what Redis would keep of it, and is dropped as if released.
   */
  private record Claimed(IdempotencyRecord.InProgress record, long ttlMs,
      Promise<Optional<IdempotencyRecord>> signal) {
    boolean outlived(long nowMillis) {
      return nowMillis - record.leaseExpiresAtMillis() >= ttlMs;
    }
  }
}
