package io.reliapi.testing;

import io.reliapi.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link FaultWall}'s memory since its last reset: every chat attempt in arrival order, the attempts per
 * model name (a fault like "429 once" keys on it) and the time since the reset. Thread-safe: the wall writes
 * from its event loop, tests read from theirs.
 */
final class WallLog {
  private final List<WallAttempt> entries = new ArrayList<>();
  private final Map<String, Integer> counts = new HashMap<>();
  private final Clock clock = Clock.system();
  private long t0 = clock.nanoTime();
  private int seq;

  synchronized void reset() {
    t0 = clock.nanoTime();
    entries.clear();
    counts.clear();
    seq = 0;
  }

  /** Seconds since the last reset, to the 0.1 ms. */
  synchronized double now() {
    return Math.round((clock.nanoTime() - t0) / 100_000.0) / 10_000.0;
  }

  /** Logs one attempt of {@code model}, counting it. */
  synchronized WallAttempt record(String model, String tag, boolean stream, String lastRole) {
    int attempt = counts.merge(model, 1, Integer::sum);
    WallAttempt entry = new WallAttempt(now(), ++seq, model, tag, attempt, stream, lastRole);
    entries.add(entry);
    return entry;
  }

  synchronized List<WallAttempt> entries() {
    return List.copyOf(entries);
  }
}
