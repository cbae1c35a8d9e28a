package io.reliapi.store;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The claims in progress of {@link InMemoryIdempotencyStore}, one per key: bounded by the clients' quotas, never
 * evicted. Every change runs under its key's lock together with what the store does alongside it (storing the
 * finished record, freeing the client's place), so nothing can slip in between. Times are monotonic milliseconds.
 */
final class InFlightClaims {
  private final ConcurrentHashMap<String, ClaimInProgress> byId = new ConcurrentHashMap<>();

  /** Returns the claim in progress on {@code scope}, or null. */
  ClaimInProgress get(IdempotencyScope scope) {
    return byId.get(scope.id());
  }

  int size() {
    return byId.size();
  }

  /** Replaces the claim on {@code scope} (null when there is none) by what {@code change} returns, under its lock. */
  void change(IdempotencyScope scope, UnaryOperator<ClaimInProgress> change) {
    byId.compute(scope.id(), (key, current) -> change.apply(current));
  }

  /** Moves the lease of {@code owner}'s claim to {@code leaseExpiresAtMillis}; returns false when it holds none. */
  boolean renew(IdempotencyScope scope, String owner, long leaseExpiresAtMillis, long ttlMs) {
    return changeOwned(scope, owner, claimed -> claimed.heldBy(owner, leaseExpiresAtMillis, scope, ttlMs)) != null;
  }

  /** Removes the claim of {@code owner}, running {@code andThen} under its lock; returns it, or null. */
  ClaimInProgress end(IdempotencyScope scope, String owner, Consumer<ClaimInProgress> andThen) {
    return changeOwned(scope, owner, claimed -> {
      andThen.accept(claimed);
      return null;
    });
  }

  /**
   * Ends the claims of {@code client} that have outlived their lease by a TTL at {@code now}, running {@code
   * andThen} under each one's lock, and wakes their waiters as if released. Each claim is judged as it is under
   * its lock, never on a copy read before: its owner may renew it in between, and a renewed claim dropped would
   * let a duplicate claim the key and call upstream a second time.
   */
  void dropOutlived(String client, long now, Consumer<ClaimInProgress> andThen) {
    byId.forEach((id, seen) -> {
      // A first look without the lock: only the claims that look outlived take it, so a sweep does not lock every
      // key (the decision itself is taken again under the lock).
      if (!seen.scope().client().equals(client) || !seen.outlived(now)) {
        return;
      }
      ClaimInProgress[] ended = new ClaimInProgress[1];
      byId.computeIfPresent(id, (key, current) -> {
        if (!current.scope().client().equals(client) || !current.outlived(now)) {
          return current;
        }
        andThen.accept(current);
        ended[0] = current;
        return null;
      });
      if (ended[0] != null) {
        ended[0].signal().tryComplete(Optional.empty());
      }
    });
  }

  /** Replaces the claim of {@code owner} by what {@code change} makes of it, under its lock; returns it, or null. */
  private ClaimInProgress changeOwned(IdempotencyScope scope, String owner, UnaryOperator<ClaimInProgress> change) {
    ClaimInProgress[] found = new ClaimInProgress[1];
    byId.computeIfPresent(scope.id(), (key, current) -> {
      if (!current.ownedBy(owner)) {
        return current;
      }
      found[0] = current;
      return change.apply(current);
    });
    return found[0];
  }
}
