package io.reliapi.policy.idempotency;

import io.reliapi.store.IdempotencyStore;
import io.reliapi.time.Scheduler;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps a leading request's claim alive while it runs: renews the lease every third of its length,
 * through the scheduler, until stopped (the request settled its key) or another request turns out to hold the key.
 * So a live holder never loses its key, and a dead one frees it one lease after its last renewal; a claim the store
 * lost is re-asserted by the next renewal (IdempotencyStore#renew), and one another request took meanwhile is
 * reported ({@link HeldClaim#lost}). A renewal that fails (store unreachable) is simply tried again at the next tick.
 *
 * <p>With a test scheduler in auto mode every wait is skipped at once, so renewals would run back to
 * back until the request settles; tests of renewal use manual mode.
 */
final class LeaseRenewal {
  private final IdempotencyStore store;
  private final Scheduler scheduler;
  private final HeldClaim held;
  private final long leaseMs;
  private final long ttlMs;
  private final AtomicReference<Scheduler.Cancellable> timer = new AtomicReference<>();
  private volatile boolean stopped;

  private LeaseRenewal(IdempotencyStore store, Scheduler scheduler, HeldClaim held, long leaseMs, long ttlMs) {
    this.store = store;
    this.scheduler = scheduler;
    this.held = held;
    this.leaseMs = leaseMs;
    this.ttlMs = ttlMs;
  }

  /** Starts renewing {@code held}, whose lease of {@code leaseMs} has just begun. */
  static LeaseRenewal start(IdempotencyStore store, Scheduler scheduler, HeldClaim held, long leaseMs, long ttlMs) {
    LeaseRenewal renewal = new LeaseRenewal(store, scheduler, held, leaseMs, ttlMs);
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
    store.renew(held.scope, held.owner, held.fingerprint, leaseMs, ttlMs).onComplete(renewed -> {
      if (stopped) {
        return; // the request settled its key meanwhile: an answer now says nothing about a loss
      }
      if (renewed.succeeded() && !renewed.result()) {
        stopped = true;
        held.lost("seen at renewal");
      } else {
        scheduleNext();
      }
    });
  }
}
