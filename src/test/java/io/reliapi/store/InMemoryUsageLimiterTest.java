package io.reliapi.store;

import io.reliapi.testing.ManualClock;
import java.time.Duration;

class InMemoryUsageLimiterTest extends UsageLimiterContract {
  private final ManualClock clock = new ManualClock();

  @Override
  protected UsageLimiter newLimiter() {
    return new InMemoryUsageLimiter(clock);
  }

  @Override
  protected void elapse(Duration duration) {
    clock.advance(duration);
  }
}
