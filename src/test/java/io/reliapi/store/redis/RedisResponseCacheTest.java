package io.reliapi.store.redis;

import io.reliapi.store.ResponseCache;
import io.reliapi.store.ResponseCacheContract;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The response cache contract against a real redis-server. */
class RedisResponseCacheTest extends ResponseCacheContract {
  @RegisterExtension
  static final RedisFixture fixture = new RedisFixture();
  private final ManualClock clock = new ManualClock();

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
