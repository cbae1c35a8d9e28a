package io.reliapi.config;

import java.util.Optional;

/**
 * Per-target (or per-deployment) breaker: opens after {@code errorThreshold} consecutive failed attempts, and,
 * when {@code rates} is set, also when the failure rate or the slow-call rate over its sliding window passes
 * its threshold.
 */
public record CircuitConfig(boolean enabled, int errorThreshold, long cooldownS, int halfOpenCalls,
    Optional<RateRule> rates) {

  public CircuitConfig(boolean enabled, int errorThreshold, long cooldownS, int halfOpenCalls) {
    this(enabled, errorThreshold, cooldownS, halfOpenCalls, Optional.empty());
  }

  public static CircuitConfig defaults() {
    return new CircuitConfig(true, 5, 60, 1);
  }

  /** How a sliding window counts: the last {@code size} calls, or the calls of the last {@code size} seconds. */
  public enum WindowType { COUNT, TIME }

  /**
   * The opt-in rate rules over one sliding window ({@code circuit.window}).
   *
   * @param size                the window's calls ({@code count}) or seconds ({@code time})
   * @param minCalls            the calls the window must hold before a rate can open the breaker
   * @param failureRatePercent  the failure rate at or above which the breaker opens; empty: no failure-rate rule
   * @param slowCallMs          an attempt taking this long or longer is slow; empty: no slow-call rule
   * @param slowCallRatePercent the share of slow calls at or above which the breaker opens
   */
  public record RateRule(WindowType type, int size, int minCalls, Optional<Double> failureRatePercent,
      Optional<Long> slowCallMs, double slowCallRatePercent) {

    public static final int DEFAULT_COUNT_SIZE = 20;
    public static final int DEFAULT_TIME_SIZE_S = 60;
    public static final int DEFAULT_MIN_CALLS = 10;
    public static final double DEFAULT_SLOW_CALL_RATE_PERCENT = 100;
  }
}
