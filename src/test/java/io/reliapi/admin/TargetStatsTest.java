package io.reliapi.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.reliapi.observe.RequestRecord;
import io.reliapi.pipeline.TrailEntry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetStatsTest {
  private static final long NOW = 1_000_000;

  private static RequestRecord record(String target, long endedAgoMs, long durationMs, int status, TrailEntry... trail) {
    return new RequestRecord("r", NOW - endedAgoMs, "proxy_http", "c", target, "GET", status,
        status >= 400 ? "error" : "success", null, durationMs, null, List.of(trail), 0);
  }

  @Test
  void ratesErrorsAndNearestRankPercentilesPerTargetOverTheWindow() {
    List<RequestRecord> newestFirst = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      newestFirst.add(record("api", i * 10L, i, i % 10 == 0 ? 503 : 200));
    }
    newestFirst.add(record("api", 120_000, 9_999, 500));  // outside the minute

    TargetStats api = TargetStats.of(newestFirst, false, NOW, 60_000).get("api");

    assertThat(api.requests()).isEqualTo(100);
    assertThat(api.errors()).isEqualTo(10);
    assertThat(api.errorRatio()).isEqualTo(0.1);
    assertThat(api.p50Ms()).isEqualTo(50);
    assertThat(api.p99Ms()).isEqualTo(99);
    assertThat(api.requestsPerS()).isCloseTo(100 / 60.0, within(1e-9));
  }

  @Test
  void aFullRingThatCoversLessThanTheWindowGivesRatesOverTheTimeItCovers() {
    List<RequestRecord> newestFirst = List.of(record("api", 0, 1, 200), record("api", 2_000, 1, 200),
        record("api", 4_000, 1, 200), record("api", 10_000, 1, 200));

    assertThat(TargetStats.of(newestFirst, true, NOW, 60_000).get("api").requestsPerS()).isEqualTo(0.4);
  }

  @Test
  void cacheHitRatioComesFromTheTrails() {
    var hit = new TrailEntry.Cache("api", "hit");
    var shared = new TrailEntry.Cache("api", "coalesced");
    var miss = new TrailEntry.Cache("api", "miss");
    TargetStats api = TargetStats.of(List.of(record("api", 1, 1, 200, hit), record("api", 2, 1, 200, shared),
        record("api", 3, 1, 200, miss), record("api", 4, 1, 200)), false, NOW, 60_000).get("api");

    assertThat(api.cacheHits()).isEqualTo(2);
    assertThat(api.cacheMisses()).isEqualTo(1);
  }

  @Test
  void noRequestsNoPercentile() {
    assertThat(TargetStats.percentile(new long[0], 0.5)).isNull();
    assertThat(TargetStats.of(List.of(), false, NOW, 60_000)).isEmpty();
  }
}
