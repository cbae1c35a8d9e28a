package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.store.UsageLimit;
import io.reliapi.store.UsageLimiter;
import io.reliapi.store.UsageLimiterContract;
import io.reliapi.store.UsageReservation;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The request and token limit contract against a real redis-server, and one limit held by two instances. */
class RedisUsageLimiterTest extends UsageLimiterContract {
  @RegisterExtension
  static final RedisFixture fixture = new RedisFixture();
  private final ManualClock clock = new ManualClock();

  @Override
  protected UsageLimiter newLimiter() {
    fixture.reset();
    return fixture.instance(clock, ManualScheduler.manual(clock)).usageLimits().shared();
  }

  @Override
  protected void elapse(Duration duration) {
    clock.advance(duration);
  }

  @Test
  void twoInstancesHoldOneLimitNotTwo() throws Exception {
    UsageLimiter other = fixture.instance(clock, ManualScheduler.manual(clock)).usageLimits().shared();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<UsageReservation>> calls = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        UsageLimiter instance = i % 2 == 0 ? limiter : other;
        calls.add(() -> get(instance.reserve(List.of(new UsageLimit("client:shared", 0, 3_000)), 100)));
      }
      long granted = 0;
      for (var f : pool.invokeAll(calls)) {
        granted += f.get() instanceof UsageReservation.Granted ? 1 : 0;
      }
      assertThat(granted).isEqualTo(30);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theCountsLiveInOneHashPerLimitThatExpiresWithTheWindow() {
    get(limiter.reserve(List.of(new UsageLimit("client:alice", 5, 0)), 42));
    assertThat(fixture.redis.command("HGET reliapi:usage:{usage}:client:alice t:1795780800")).endsWith("\n42");
    assertThat(fixture.redis.command("HGET reliapi:usage:{usage}:client:alice c:1795780800")).endsWith("\n1");
    String ttl = fixture.redis.command("PTTL reliapi:usage:{usage}:client:alice");
    assertThat(Long.parseLong(ttl.substring(1))).isBetween(60_000L, 61_000L);
  }
}
