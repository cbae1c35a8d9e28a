package io.reliapi.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InMemoryResponseCacheTest extends ResponseCacheContract {
  private static final long MAX_BYTES = 128 * 1024;
  private final ManualClock clock = new ManualClock();

  @Override
  protected ResponseCache newCache() {
    return new InMemoryResponseCache(clock, MAX_BYTES);
  }

  @Override
  protected void elapse(Duration duration) {
    clock.advance(duration);
  }

  @Test
  void staysWithinTheByteLimitWhenFilledPastIt() {
    String body = "z".repeat(2048);
    for (int i = 0; i < 1_000; i++) {
      get(cache.put("key" + i, response(body), 3_600_000, ANYONE));
    }
    long size = ((InMemoryResponseCache) cache).weightedSize();
    assertThat(size).isLessThanOrEqualTo(MAX_BYTES).isGreaterThan(MAX_BYTES / 2);
    long kept = 0;
    for (int i = 0; i < 1_000; i++) {
      if (get(cache.get("key" + i)).isPresent()) {
        kept++;
      }
    }
    assertThat(kept).isBetween(1L, MAX_BYTES / 2048);
  }

  @Test
  void whatTheCacheEvictsOrExpiresIsNoLongerChargedToItsClient() {
    var memory = (InMemoryResponseCache) cache;
    Quota a = new Quota("a", Long.MAX_VALUE);
    String body = "z".repeat(2048);
    for (int i = 0; i < 1_000; i++) {
      get(cache.put("key" + i, response(body), 60_000, a));
    }
    assertThat(memory.usedBy("a")).isLessThanOrEqualTo(MAX_BYTES).isPositive();
    clock.advance(Duration.ofMinutes(2));
    assertThat(memory.usedBy("a")).isZero();
  }
}
