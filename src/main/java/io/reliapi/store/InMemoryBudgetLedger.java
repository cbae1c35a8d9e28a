package io.reliapi.store;

import io.reliapi.time.Clock;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The budget ledger of one gateway instance. One lock guards the whole ledger: a reservation touches at
 * most four entries (client and target, day and month) and does no I/O, so the lock is held for
 * microseconds. Entries of ended periods are dropped once nothing can settle into them any more.
 */
public final class InMemoryBudgetLedger implements BudgetLedger {
  /** How long an entry is kept after its period ended, for reservations still settling into it. */
  static final long RETAIN_AFTER_PERIOD_MS = 2 * 3_600_000L;

  private final Clock clock;
  private final Map<String, Entry> entries = new HashMap<>();

  public InMemoryBudgetLedger(Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Future<Reservation> reserve(List<BudgetAccount> accounts, double amountUsd) {
    long now = clock.epochMillis();
    dropEnded(now);
    long amount = NanoUsd.of(amountUsd);
    for (BudgetAccount account : accounts) {
      Entry entry = entries.get(account.entry(now));
      long spent = entry == null ? 0 : entry.nanos;
      if (spent + amount > account.limitNanos()) {
        return Future.succeededFuture(new Reservation.Exhausted(account, account.period().endsAtMillis(now)));
      }
    }
    for (BudgetAccount account : accounts) {
      entries.computeIfAbsent(account.entry(now),
          k -> new Entry(account.period().endsAtMillis(now) + RETAIN_AFTER_PERIOD_MS)).nanos += amount;
    }
    return Future.succeededFuture(new Reservation.Granted(accounts.stream().map(a -> a.entry(now)).toList(), amount));
  }

  @Override
  public synchronized Future<Void> settle(Reservation.Granted reservation, double actualUsd) {
    adjust(reservation, NanoUsd.of(actualUsd) - reservation.amountNanos());
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> release(Reservation.Granted reservation) {
    adjust(reservation, -reservation.amountNanos());
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Double> spentUsd(BudgetAccount account) {
    Entry entry = entries.get(account.entry(clock.epochMillis()));
    return Future.succeededFuture(NanoUsd.toUsd(entry == null ? 0 : entry.nanos));
  }

  private void adjust(Reservation.Granted reservation, long delta) {
    for (String key : reservation.entries()) {
      Entry entry = entries.get(key);
      if (entry != null) {
        entry.nanos += delta;
      }
    }
  }

  private void dropEnded(long now) {
    entries.values().removeIf(entry -> entry.keepUntilMillis <= now);
  }

  private static final class Entry {
    final long keepUntilMillis;
    long nanos;

    Entry(long keepUntilMillis) {
      this.keepUntilMillis = keepUntilMillis;
    }
  }
}
