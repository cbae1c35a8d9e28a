package io.reliapi.store;

import java.util.Arrays;

/**
 * The calls and tokens counted on one limit in each second of the last minute (a sliding window of 60
 * one-second slots: a second's counts leave the window 60 s after it began). The arithmetic is mirrored
 * line by line by the Redis limiter's Lua script. Not thread-safe: its limiter's lock guards it.
 */
public final class MinuteWindow {
  public static final int SECONDS = 60;
  private final long[] seconds = new long[SECONDS];
  private final long[] calls = new long[SECONDS];
  private final long[] tokens = new long[SECONDS];

  public MinuteWindow() {
    Arrays.fill(seconds, Long.MIN_VALUE);
  }

  /**
   * Returns why one more call of {@code amount} tokens does not fit at {@code nowMs}, or null when it fits.
   * {@code rpm} and {@code tpm} are 0 for a kind without a limit.
   */
  public UsageReservation.Refused check(String name, long rpm, long tpm, long amount, long nowMs) {
    long now = Math.floorDiv(nowMs, 1000);
    if (rpm > 0 && sum(calls, now) + 1 > rpm) {
      return new UsageReservation.Refused(name, "rpm", waitMs(calls, now, 1, rpm, nowMs), false);
    }
    if (tpm > 0 && sum(tokens, now) + amount > tpm) {
      return new UsageReservation.Refused(name, "tpm", waitMs(tokens, now, amount, tpm, nowMs), amount > tpm);
    }
    return null;
  }

  /** Adds to second {@code second}'s counts (negative to take back); a second that left the window is gone. */
  public void add(long second, long callDelta, long tokenDelta, long nowMs) {
    if (second <= Math.floorDiv(nowMs, 1000) - SECONDS) {
      return;
    }
    int i = (int) Math.floorMod(second, (long) SECONDS);
    if (seconds[i] != second) {
      if (seconds[i] > second) {
        return;
      }
      seconds[i] = second;
      calls[i] = 0;
      tokens[i] = 0;
    }
    calls[i] += callDelta;
    tokens[i] += tokenDelta;
  }

  private long sum(long[] counts, long now) {
    long total = 0;
    for (int i = 0; i < SECONDS; i++) {
      if (seconds[i] > now - SECONDS) {
        total += counts[i];
      }
    }
    return total;
  }

  /**
   * Returns the milliseconds until enough of the oldest seconds left the window for {@code amount} to fit
   * under {@code limit} (at least 1); a full minute when it never fits.
   */
  private long waitMs(long[] counts, long now, long amount, long limit, long nowMs) {
    if (amount > limit) {
      return SECONDS * 1000L;
    }
    long used = sum(counts, now);
    Integer[] order = new Integer[SECONDS];
    for (int i = 0; i < SECONDS; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(seconds[a], seconds[b]));
    for (int i : order) {
      if (seconds[i] <= now - SECONDS) {
        continue;
      }
      used -= counts[i];
      if (used + amount <= limit) {
        return Math.max(1, (seconds[i] + SECONDS) * 1000 - nowMs);
      }
    }
    return SECONDS * 1000L;
  }
}
