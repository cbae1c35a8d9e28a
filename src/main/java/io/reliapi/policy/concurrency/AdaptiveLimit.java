package io.reliapi.policy.concurrency;

import io.reliapi.config.ConcurrencyConfig;
import java.util.Arrays;

/**
 * The adaptive part of one target's limiter: the limit, the window of answers gathered since it last
 * changed, and the latency baseline. A window counts only attempts that started after it began, so each
 * decision sees the effect of the one before; it closes after half the limit's worth of answers (1 to 20).
 *
 * <p>The baseline is the upstream's latency without a queue: the fastest answer of the last
 * {@value #BASELINE_MINUTES} minutes (kept per minute) among attempts that started with at most half the
 * limit in flight, or while the limit was at its minimum. Answers of a saturated upstream never count, so
 * hours at the knee cannot creep the baseline up (and the limit with it); an upstream that became slower for
 * good pushes the limit down to its minimum, where its answers count again, and the baseline follows within
 * those minutes. With no such answer in the last minutes, the last baseline stays. Not thread-safe: its
 * limiter's lock guards it.
 */
final class AdaptiveLimit {
  static final int BASELINE_MINUTES = 3;
  private static final long MINUTE_NANOS = 60_000_000_000L;
  private static final int MAX_WINDOW = 20;

  private final ConcurrencyConfig config;
  private double limit;
  private long windowStart;
  private int samples;
  private long latencySum;
  private boolean inUse;
  private final long[] minuteIds = new long[BASELINE_MINUTES];
  private final long[] fastest = new long[BASELINE_MINUTES];
  /** The last baseline found; 0 before the first answer. */
  private long baseline;

  AdaptiveLimit(ConcurrencyConfig config, long nowNanos) {
    this.config = config;
    this.limit = config.initialLimit();
    this.windowStart = nowNanos;
    Arrays.fill(minuteIds, Long.MIN_VALUE);
  }

  /** Returns the places the limit allows now. */
  int limit() {
    return (int) limit;
  }

  /** Every place was taken, or an attempt had to wait, during this window. */
  void inUse() {
    inUse = true;
  }

  /**
   * An attempt that started at {@code startedNanos}, with {@code inFlightAtStart} attempts in flight (itself
   * included), took {@code latencyNanos} to its answer's head, which arrived at {@code nowNanos}.
   */
  void sample(long startedNanos, int inFlightAtStart, long latencyNanos, long nowNanos) {
    if (!config.adaptive()) {
      return;
    }
    if (baseline == 0 || inFlightAtStart <= limit() / 2 || limit() <= config.min()) {
      keepFastest(nowNanos, latencyNanos);
    }
    if (startedNanos < windowStart) {
      return;
    }
    samples++;
    latencySum += latencyNanos;
    if (samples < Math.max(1, Math.min(MAX_WINDOW, limit() / 2))) {
      return;
    }
    double ratio = (double) latencySum / samples / Math.max(1, baseline(nowNanos));
    limit = LatencyLimit.next(limit, ratio, inUse, config.min(), config.max());
    windowStart = nowNanos;
    samples = 0;
    latencySum = 0;
    inUse = false;
  }

  private void keepFastest(long nowNanos, long latencyNanos) {
    long minute = Math.floorDiv(nowNanos, MINUTE_NANOS);
    int i = (int) Math.floorMod(minute, (long) BASELINE_MINUTES);
    if (minuteIds[i] != minute) {
      minuteIds[i] = minute;
      fastest[i] = latencyNanos;
    } else {
      fastest[i] = Math.min(fastest[i], latencyNanos);
    }
  }

  private long baseline(long nowNanos) {
    long minute = Math.floorDiv(nowNanos, MINUTE_NANOS);
    long best = Long.MAX_VALUE;
    for (int i = 0; i < BASELINE_MINUTES; i++) {
      long age = minute - minuteIds[i];
      if (age >= 0 && age < BASELINE_MINUTES) {
        best = Math.min(best, fastest[i]);
      }
    }
    if (best != Long.MAX_VALUE) {
      baseline = best;
    }
    return baseline;
  }
}
