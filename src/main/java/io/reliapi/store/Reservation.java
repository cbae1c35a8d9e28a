package io.reliapi.store;

import java.util.List;

/** The answer to reserving an amount on some budget accounts: granted on all of them, or on none. */
public sealed interface Reservation {

  /**
   * The amount is reserved on each of {@code entries}, the ledger entries of the periods current when it
   * was reserved, so settling after a period ended still corrects the period it was taken from. {@code id}
   * is the ledger's own name for the reservation (opaque to callers): the ledger closes a reservation once,
   * so settling or releasing it again, or sending either again after its answer was lost, changes nothing.
   */
  record Granted(String id, List<String> entries, long amountNanos) implements Reservation {
    public Granted {
      entries = List.copyOf(entries);
    }

    public double amountUsd() {
      return NanoUsd.toUsd(amountNanos);
    }
  }

  /** Nothing was reserved: {@code account} cannot afford the amount until its period ends. */
  record Exhausted(BudgetAccount account, long resetsAtMillis) implements Reservation {}
}
