package io.reliapi.policy.idempotency;

import io.reliapi.store.IdempotencyStore;
import io.reliapi.time.Clock;
import io.reliapi.time.Scheduler;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps a leading request's claim alive while it runs: renews the lease every third of its length,
 * through the scheduler, until stopped (the request settled its key) or another request turns out to hold the key.
 * So a live holder never loses its key, and a dead one frees it one lease after its last renewal; a claim the store
 * lost is re-asserted by the next renewal (IdempotencyStore#renew), if that comes within a lease of the last one that
 * succeeded ({@link HeldClaim#renewed}: cut off longer, the key may have been taken over, finished and expired since);
 * one another request took meanwhile, or gone too long, is reported ({@link HeldClaim#lost}). A renewal that fails
 * (store unreachable) is simply tried again at the next tick.
 *
 * <p>With a test scheduler in auto mode every wait is skipped at once, so renewals would run back to
 * back until the request settles; tests of renewal use manual mode.
 */
final class LeaseRenewal {
  private final IdempotencyStore store;
  private final Scheduler scheduler;
  private final Clock clock;
  private final HeldClaim held;
  private final long leaseMs;
  private final long ttlMs;
  private final AtomicReference<Scheduler.Cancellable> timer = new AtomicReference<>();
  private volatile boolean stopped;

  private LeaseRenewal(IdempotencyStore store, Scheduler scheduler, Clock clock, HeldClaim held, long leaseMs,
      long ttlMs) {
    this.store = store;
    this.scheduler = scheduler;
    this.clock = clock;
    this.held = held;
    this.leaseMs = leaseMs;
    this.ttlMs = ttlMs;
  }

  /** Starts renewing {@code held}, whose lease of {@code leaseMs} has just begun. */
  static LeaseRenewal start(IdempotencyStore store, Scheduler scheduler, Clock clock, HeldClaim held, long leaseMs,
      long ttlMs) {
    LeaseRenewal renewal = new LeaseRenewal(store, scheduler, clock, held, leaseMs, ttlMs);
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
    // The lease a renewal sets ends a lease after the store reads its clock, so no earlier than this.
    long leaseEndsAtMillis = clock.epochMillis() + leaseMs;
    store.renew(held.scope, held.owner, held.fingerprint, leaseMs, ttlMs, held.reassertUntilMillis())
        .onComplete(renewed -> {
      if (stopped) {
        return; // the request settled its key meanwhile: an answer now says nothing about a loss
      }
      if (renewed.succeeded() && renewed.result()) {
        held.renewed(leaseEndsAtMillis);
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
