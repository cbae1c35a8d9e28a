package io.reliapi.policy.route;

import java.util.Arrays;
import java.util.OptionalLong;

/**
 * The latencies of a target's last {@value #SIZE} answered attempts, for a hedge delay at a percentile of
 * them. Bounded: a ring overwritten oldest first. Shared by every event loop; its lock guards a few array
 * writes or one sort of {@value #SIZE} numbers, never I/O.
 */
final class LatencyWindow {
  static final int SIZE = 128;
  /** Fewer latencies than this say too little to hedge by. */
  static final int MIN_SAMPLES = 20;

  private final long[] ms = new long[SIZE];
  private long recorded;

  synchronized void record(long latencyMs) {
    ms[(int) (recorded++ % SIZE)] = latencyMs;
  }

  /** Returns the {@code percentile} (0–100) of the latencies kept, nearest rank; empty with too few of them. */
  synchronized OptionalLong percentileMs(double percentile) {
    int n = (int) Math.min(recorded, SIZE);
    if (n < MIN_SAMPLES) {
      return OptionalLong.empty();
    }
    long[] sorted = Arrays.copyOf(ms, n);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(percentile / 100 * n);
    return OptionalLong.of(sorted[Math.max(0, Math.min(n, rank) - 1)]);
  }
}
