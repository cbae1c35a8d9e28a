package io.reliapi.policy.circuit;

import io.reliapi.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Shows the gateway's monotonic clock to Resilience4j as a {@link java.time.Clock}. The breaker only
 * compares its instants with each other (cooldown ends), so monotonic time keeps cooldowns right across
 * wall-clock jumps, and a test clock drives them without sleeping.
 */
final class BreakerClock extends java.time.Clock {
  private final Clock clock;

  BreakerClock(Clock clock) {
    this.clock = clock;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public java.time.Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochSecond(0, clock.nanoTime());
  }

  @Override
  public long millis() {
    return clock.nanoTime() / 1_000_000;
  }
}
