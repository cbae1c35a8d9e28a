package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.RateLimitConfig;
import io.reliapi.store.RateLimiter;
import io.reliapi.store.RateLimiterContract;
import io.reliapi.store.TokenBucket;
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

/** The rate limiter contract against a real redis-server, and one bucket shared by two instances. */
class RedisRateLimiterTest extends RateLimiterContract {
  @RegisterExtension
  static final RedisFixture fixture = new RedisFixture();
  private final ManualClock clock = new ManualClock();

  @Override
  protected RateLimiter newLimiter() {
    fixture.reset();
    return fixture.instance(clock, ManualScheduler.manual(clock)).rateLimits().shared();
  }

  @Override
  protected void elapse(Duration duration) {
    clock.advance(duration);
  }

  @Test
  void twoInstancesShareOneBucketInsteadOfDoublingIt() throws Exception {
    RateLimiter other = fixture.instance(clock, ManualScheduler.manual(clock)).rateLimits().shared();
    RateLimitConfig burstTwenty = new RateLimitConfig(0.001, 20);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<TokenBucket.Taken>> attempts = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        RateLimiter instance = i % 2 == 0 ? limiter : other;
        attempts.add(() -> get(instance.acquire("shared", burstTwenty)));
      }
      long granted = 0;
      for (var f : pool.invokeAll(attempts)) {
        granted += f.get().granted() ? 1 : 0;
      }
      assertThat(granted).isEqualTo(20);
    } finally {
      pool.shutdownNow();
    }
  }
}
