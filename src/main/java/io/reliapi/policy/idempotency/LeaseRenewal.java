package io.reliapi.policy.idempotency;

import io.reliapi.store.IdempotencyScope;
import io.reliapi.store.IdempotencyStore;
import io.reliapi.time.Scheduler;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps a leading request's claim alive while it runs: renews the lease every third of its length,
 * through the scheduler, until stopped (the request settled its key) or the claim turns out to be lost.
 * So a live holder never loses its key, and a dead one frees it one lease after its last renewal.
 * A renewal that fails (store unreachable) is simply tried again at the next tick.
 *
 * <p>With a test scheduler in auto mode every wait is skipped at once, so renewals would run back to
 * back until the request settles; tests of renewal use manual mode.
 */
final class LeaseRenewal {
  private final IdempotencyStore store;
  private final Scheduler scheduler;
  private final IdempotencyScope scope;
  private final String owner;
  private final long leaseMs;
  private final long ttlMs;
  private final AtomicReference<Scheduler.Cancellable> timer = new AtomicReference<>();
  private volatile boolean stopped;

  private LeaseRenewal(IdempotencyStore store, Scheduler scheduler, IdempotencyScope scope, String owner, long leaseMs,
      long ttlMs) {
    this.store = store;
    this.scheduler = scheduler;
    this.scope = scope;
    this.owner = owner;
    this.leaseMs = leaseMs;
    this.ttlMs = ttlMs;
  }

  /** Starts renewing the claim of {@code owner}, whose lease of {@code leaseMs} has just begun. */
  static LeaseRenewal start(IdempotencyStore store, Scheduler scheduler, IdempotencyScope scope, String owner,
      long leaseMs, long ttlMs) {
    LeaseRenewal renewal = new LeaseRenewal(store, scheduler, scope, owner, leaseMs, ttlMs);
    renewal.scheduleNext();
    return renewal;
  }

  void stop() {
    stopped = true;
    Scheduler.Cancellable pending = timer.getAndSet(null);
    if (pending != null) {
      pending.cancel();
    }
  }

  private void scheduleNext() {
    if (!stopped) {
      timer.set(scheduler.schedule(Math.max(1, leaseMs / 3), this::renew));
    }
  }

  private void renew() {
    if (stopped) {
      return;
    }
    store.renew(scope, owner, leaseMs, ttlMs).onComplete(renewed -> {
      if (renewed.succeeded() && !renewed.result()) {
        stopped = true;
      } else {
        scheduleNext();
      }
    });
  }
}
