package io.reliapi.store;

import io.reliapi.time.Clock;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The budget ledger of one gateway instance. One lock guards the whole ledger: a reservation touches at
 * most four entries (client and target, day and month) and does no I/O, so the lock is held for
 * microseconds. Entries of ended periods are dropped once nothing can settle into them any more; so are
 * reservations never closed (their caller went away), at the same time as their longest entry.
 */
public final class InMemoryBudgetLedger implements BudgetLedger {
  /** How long an entry is kept after its period ended, for reservations still settling into it. */
  static final long RETAIN_AFTER_PERIOD_MS = 2 * 3_600_000L;

  private final Clock clock;
  private final Map<String, Entry> entries = new HashMap<>();
  /** The reservations not yet settled or released, by id: what closing one may still correct. */
  private final Map<String, Entry> open = new HashMap<>();
  private long lastId;

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
    long keepUntil = now;
    for (BudgetAccount account : accounts) {
      long entryKeptUntil = account.period().endsAtMillis(now) + RETAIN_AFTER_PERIOD_MS;
      entries.computeIfAbsent(account.entry(now), k -> new Entry(entryKeptUntil)).nanos += amount;
      keepUntil = Math.max(keepUntil, entryKeptUntil);
    }
    String id = Long.toString(++lastId);
    Entry reserved = new Entry(keepUntil);
    reserved.nanos = amount;
    open.put(id, reserved);
    return Future.succeededFuture(new Reservation.Granted(id, accounts.stream().map(a -> a.entry(now)).toList(),
        amount));
  }

  @Override
  public synchronized Future<Void> settle(Reservation.Granted reservation, double actualUsd) {
    close(reservation, NanoUsd.of(actualUsd));
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> release(Reservation.Granted reservation) {
    close(reservation, 0);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Double> spentUsd(BudgetAccount account) {
    Entry entry = entries.get(account.entry(clock.epochMillis()));
    return Future.succeededFuture(NanoUsd.toUsd(entry == null ? 0 : entry.nanos));
  }

  /** Replaces the reservation's amount by {@code spentNanos} on its entries, if it is still open. */
  private void close(Reservation.Granted reservation, long spentNanos) {
    Entry reserved = open.remove(reservation.id());
    if (reserved == null) {
      return;
    }
    for (String key : reservation.entries()) {
      Entry entry = entries.get(key);
      if (entry != null) {
        entry.nanos += spentNanos - reserved.nanos;
      }
    }
  }

  private void dropEnded(long now) {
    entries.values().removeIf(entry -> entry.keepUntilMillis <= now);
    open.values().removeIf(reservation -> reservation.keepUntilMillis <= now);
  }

  private static final class Entry {
    final long keepUntilMillis;
    long nanos;

    Entry(long keepUntilMillis) {
      this.keepUntilMillis = keepUntilMillis;
    }
  }
}
