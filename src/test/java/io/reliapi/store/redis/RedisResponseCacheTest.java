package io.reliapi.store.redis;

import io.reliapi.store.ResponseCache;
import io.reliapi.store.ResponseCacheContract;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The response cache contract against a real redis-server. */
class RedisResponseCacheTest extends ResponseCacheContract {
  private static RedisFixture fixture;
  private final ManualClock clock = new ManualClock();

  @BeforeAll
  static void startRedis() {
    fixture = new RedisFixture();
  }

  @AfterAll
  static void stopRedis() {
    fixture.close();
  }

  @Override
  protected ResponseCache newCache() {
    fixture.reset();
    return fixture.instance(clock, ManualScheduler.manual(clock)).cache();
  }

  @Override
  protected void elapse(Duration duration) {
    clock.advance(duration);
  }
}
