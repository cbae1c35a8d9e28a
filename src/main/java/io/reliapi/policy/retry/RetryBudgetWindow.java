package io.reliapi.policy.retry;

import io.reliapi.config.RetryBudgetConfig;

/**
 * The requests and retries of one target in its sliding window, on this gateway instance, shared by its
 * event loops. Counts are kept in tenths of the window. Retries are summed over the current tenth and the
 * ten before it (at least a whole window), requests over the current tenth and the nine before it (at most
 * a whole window), so rounding to tenths can only make the budget stricter, never let more retries through
 * than the rule allows in any window. Each call holds the lock for a few array reads, never for I/O.
 */
final class RetryBudgetWindow {
  static final int TENTHS = 10;
  private final RetryBudgetConfig config;
  private final long slotNanos;
  private final long[] slotIds = new long[TENTHS + 1];
  private final long[] requests = new long[TENTHS + 1];
  private final long[] retries = new long[TENTHS + 1];

  RetryBudgetWindow(RetryBudgetConfig config) {
    this.config = config;
    this.slotNanos = config.windowS() * 1_000_000_000L / TENTHS;
    java.util.Arrays.fill(slotIds, Long.MIN_VALUE);
  }

  RetryBudgetConfig config() {
    return config;
  }

  /** Counts a request to the target at {@code nowNanos}. */
  synchronized void request(long nowNanos) {
    requests[slot(nowNanos)]++;
  }

  /** Counts a retry at {@code nowNanos} if the budget allows one; returns whether it did. */
  synchronized boolean tryRetry(long nowNanos) {
    if (!config.enabled()) {
      return true;
    }
    long current = Math.floorDiv(nowNanos, slotNanos);
    long requestsIn = 0;
    long retriesIn = 0;
    for (int i = 0; i <= TENTHS; i++) {
      long age = current - slotIds[i];
      if (age >= 0 && age <= TENTHS) {
        retriesIn += retries[i];
        if (age < TENTHS) {
          requestsIn += requests[i];
        }
      }
    }
    if (!RetryBudget.allows(retriesIn, requestsIn, config)) {
      return false;
    }
    retries[slot(nowNanos)]++;
    return true;
  }

  /** Uncounts a retry counted at {@code drawnAtNanos}, if its tenth is still the one in its slot. */
  synchronized void giveBack(long drawnAtNanos) {
    long id = Math.floorDiv(drawnAtNanos, slotNanos);
    int i = (int) Math.floorMod(id, (long) TENTHS + 1);
    if (config.enabled() && slotIds[i] == id && retries[i] > 0) {
      retries[i]--;
    }
  }

  private int slot(long nowNanos) {
    long id = Math.floorDiv(nowNanos, slotNanos);
    int i = (int) Math.floorMod(id, (long) TENTHS + 1);
    if (slotIds[i] != id) {
      slotIds[i] = id;
      requests[i] = 0;
      retries[i] = 0;
    }
    return i;
  }
}
