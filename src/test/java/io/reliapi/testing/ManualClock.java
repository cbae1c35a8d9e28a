package io.reliapi.testing;

import io.reliapi.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when a test moves it. */
public final class ManualClock implements Clock {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final AtomicLong epochMillis;

  public ManualClock() {
    this(Instant.parse("2026-11-27T12:00:00Z"));
  }

  public ManualClock(Instant start) {
    this.epochMillis = new AtomicLong(start.toEpochMilli());
  }

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  @Override
  public long epochMillis() {
    return epochMillis.get();
  }

  public void advance(Duration by) {
    nanos.addAndGet(by.toNanos());
    epochMillis.addAndGet(by.toMillis());
  }

  /**
   * Steps only the wall clock, as an NTP step or a VM resumed from suspend does; the monotonic clock (and so every
   * timer of a {@link ManualScheduler}) stays where it is.
   */
  public void stepWallClock(Duration by) {
    epochMillis.addAndGet(by.toMillis());
  }

  public Instant now() {
    return Instant.ofEpochMilli(epochMillis.get());
  }
}
