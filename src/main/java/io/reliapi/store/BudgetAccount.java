package io.reliapi.store;

/**
 * One spending limit: {@code limitUsd} per {@code period} for {@code name} (e.g. {@code client:alice} or
 * {@code target:openai}).
 */
public record BudgetAccount(String name, BudgetPeriod period, double limitUsd) {

  /** Returns the ledger entry this account spends into at {@code epochMillis}: one per account and period. */
  public String entry(long epochMillis) {
    return name + ":" + period.id(epochMillis);
  }

  public long limitNanos() {
    return NanoUsd.of(limitUsd);
  }
}
