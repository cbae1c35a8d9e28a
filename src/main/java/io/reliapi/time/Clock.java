package io.reliapi.time;

/**
 * Source of time for everything in the gateway. Only this package reads the system clock, so tests can
 * drive cooldowns, TTLs, backoff and budget periods by advancing a fake clock instead of sleeping.
 * Implementations are thread-safe.
 */
public interface Clock {

  /** Returns a monotonic reading in nanoseconds, for durations and deadlines only. */
  long nanoTime();

  /** Returns wall-clock time in milliseconds since the epoch, for HTTP dates and UTC budget periods. */
  long epochMillis();

  /** Returns the clock of the running system. */
  static Clock system() {
    return SystemClock.INSTANCE;
  }
}
