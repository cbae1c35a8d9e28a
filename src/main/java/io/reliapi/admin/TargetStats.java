package io.reliapi.admin;

import io.reliapi.observe.RequestRecord;
import io.reliapi.pipeline.TrailEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Request and error rates, latency percentiles and cache hit ratio per target, computed from the ring of
 * recent requests: over the requests of the last {@code windowMs} that the ring still holds. A pure function.
 *
 * @param windowS the seconds the figures cover: the window, or less when the ring holds less time
 */
record TargetStats(String target, int requests, int errors, double requestsPerS, double errorRatio,
    Long p50Ms, Long p99Ms, int cacheHits, int cacheMisses, double windowS) {

  /**
   * Returns the figures of every target seen in {@code newestFirst}, by target name. When the ring is full
   * it may cover less time than the window; rates are then over the time it covers (at least 1 s).
   */
  static Map<String, TargetStats> of(List<RequestRecord> newestFirst, boolean ringFull, long nowMillis,
      long windowMs) {
    Map<String, List<RequestRecord>> byTarget = new LinkedHashMap<>();
    for (RequestRecord record : newestFirst) {
      if (record.endedAtMillis() < nowMillis - windowMs) {
        break;
      }
      if (record.target() != null) {
        byTarget.computeIfAbsent(record.target(), t -> new ArrayList<>()).add(record);
      }
    }
    long covered = windowMs;
    if (ringFull && !newestFirst.isEmpty()) {
      covered = Math.min(windowMs, nowMillis - newestFirst.get(newestFirst.size() - 1).endedAtMillis());
    }
    double windowS = Math.max(1, covered / 1000.0);
    Map<String, TargetStats> out = new LinkedHashMap<>();
    byTarget.forEach((target, records) -> out.put(target, figures(target, records, windowS)));
    return out;
  }

  private static TargetStats figures(String target, List<RequestRecord> records, double windowS) {
    long[] durations = new long[records.size()];
    int errors = 0;
    int hits = 0;
    int misses = 0;
    for (int i = 0; i < records.size(); i++) {
      RequestRecord record = records.get(i);
      durations[i] = record.durationMs();
      errors += record.failed() ? 1 : 0;
      for (TrailEntry entry : record.trail()) {
        if (entry instanceof TrailEntry.Cache cache) {
          boolean hit = cache.decision().equals("hit") || cache.decision().equals("coalesced");
          hits += hit ? 1 : 0;
          misses += hit ? 0 : 1;
        }
      }
    }
    Arrays.sort(durations);
    int n = durations.length;
    return new TargetStats(target, n, errors, n / windowS, n == 0 ? 0 : (double) errors / n,
        percentile(durations, 0.50), percentile(durations, 0.99), hits, misses, windowS);
  }

  /** Returns the nearest-rank percentile of sorted values, or null when there are none. */
  static Long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return null;
    }
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
