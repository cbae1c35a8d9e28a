package io.reliapi.observe.telemetry;

import io.reliapi.time.Clock;

/** Shows the gateway's clock to the tracing SDK, so span times come from the one clock the gateway reads. */
final class OtelClock implements io.opentelemetry.sdk.common.Clock {
  private final Clock clock;

  OtelClock(Clock clock) {
    this.clock = clock;
  }

  @Override
  public long now() {
    return clock.epochMillis() * 1_000_000;
  }

  @Override
  public long nanoTime() {
    return clock.nanoTime();
  }
}
