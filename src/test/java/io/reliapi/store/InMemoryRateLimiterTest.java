package io.reliapi.store;

import io.reliapi.testing.ManualClock;
import java.time.Duration;

class InMemoryRateLimiterTest extends RateLimiterContract {
  private final ManualClock clock = new ManualClock();

  @Override
  protected RateLimiter newLimiter() {
    return new InMemoryRateLimiter(clock);
  }

  @Override
  protected void elapse(Duration duration) {
    clock.advance(duration);
  }
}
