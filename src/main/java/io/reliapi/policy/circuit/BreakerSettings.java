package io.reliapi.policy.circuit;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.reliapi.config.CircuitConfig;
import io.reliapi.config.CircuitConfig.RateRule;
import io.reliapi.config.CircuitConfig.WindowType;
import io.reliapi.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Turns a {@code circuit} block into Resilience4j's settings. Without rate rules the sliding window is the
 * consecutive-failure rule itself: a count window of {@code error_threshold} calls that opens at a 100%
 * failure rate. With them, the window is the configured one (count or time, both on the gateway's clock)
 * with its failure-rate and slow-call thresholds, and {@link TargetBreaker} keeps the consecutive rule beside it.
 */
final class BreakerSettings {
  private static final Duration NEVER_SLOW = Duration.ofDays(365);

  private BreakerSettings() {}

  static CircuitBreakerConfig of(CircuitConfig config, Clock clock) {
    CircuitBreakerConfig.Builder settings = CircuitBreakerConfig.custom()
        .waitDurationInOpenState(Duration.ofSeconds(config.cooldownS()))
        .permittedNumberOfCallsInHalfOpenState(config.halfOpenCalls())
        .clock(new BreakerClock(clock))
        .currentTimestampFunction(c -> clock.nanoTime(), TimeUnit.NANOSECONDS)
        .writableStackTraceEnabled(false);
    if (config.rates().isEmpty()) {
      return settings.slidingWindowType(SlidingWindowType.COUNT_BASED)
          .slidingWindowSize(config.errorThreshold())
          .minimumNumberOfCalls(config.errorThreshold())
          .failureRateThreshold(100)
          .slowCallDurationThreshold(NEVER_SLOW)
          .build();
    }
    RateRule rates = config.rates().get();
    return settings.slidingWindowType(rates.type() == WindowType.COUNT
            ? SlidingWindowType.COUNT_BASED : SlidingWindowType.TIME_BASED)
        .slidingWindowSize(rates.size())
        .minimumNumberOfCalls(rates.minCalls())
        .failureRateThreshold(rates.failureRatePercent().orElse(100.0).floatValue())
        .slowCallDurationThreshold(rates.slowCallMs().map(Duration::ofMillis).orElse(NEVER_SLOW))
        .slowCallRateThreshold(rates.slowCallMs().isPresent() ? (float) rates.slowCallRatePercent() : 100)
        .build();
  }
}
