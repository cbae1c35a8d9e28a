package io.reliapi.store;

import io.vertx.core.Future;
import java.util.List;

/**
 * Spending per budget account and period, shared by every event loop (and, with Redis, by every
 * instance). Cost is reserved before a call, then settled to what the call really cost, or released when
 * the call never reached the provider; since a reservation checks and adds in one atomic step, concurrent
 * calls can never together spend more than a limit. A reservation is closed once: the first settlement or
 * release of it applies, any later one (or the same one sent again) changes nothing. Futures may complete
 * on any thread; a store that cannot be reached fails them with {@link StoreUnavailableException}.
 */
public interface BudgetLedger {

  /**
   * Reserves {@code amountUsd} on every account at once, or on none: granted when, for each account, the
   * spending of its current period plus the amount stays within its limit.
   */
  Future<Reservation> reserve(List<BudgetAccount> accounts, double amountUsd);

  /** Replaces a reservation by the amount really spent (more or less than reserved), unless it is closed. */
  Future<Void> settle(Reservation.Granted reservation, double actualUsd);

  /** Takes a reservation back, unless it is closed: the call it was for never reached the provider. */
  Future<Void> release(Reservation.Granted reservation);

  /** Returns what {@code account} has spent and reserved in its current period, in USD. */
  Future<Double> spentUsd(BudgetAccount account);
}
