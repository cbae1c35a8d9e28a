package io.reliapi.store;

/**
 * Budget ledgers count whole nano-dollars (1e-9 USD), so that reserving, settling and releasing add up
 * exactly, in memory and in Redis alike; one LLM token costs from a fraction of one to thousands of them.
 */
public final class NanoUsd {
  private NanoUsd() {}

  public static long of(double usd) {
    return Math.round(usd * 1e9);
  }

  public static double toUsd(long nanos) {
    return nanos / 1e9;
  }
}
