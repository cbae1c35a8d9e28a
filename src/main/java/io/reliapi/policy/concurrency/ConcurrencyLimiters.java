package io.reliapi.policy.concurrency;

import io.reliapi.config.ConcurrencyConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.time.Clock;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The concurrency limiters of this gateway instance, one per target with a {@code concurrency} block,
 * shared by every event loop. Made once per process, so a config reload keeps a target's limiter (its
 * limit, the attempts in flight and waiting) while its {@code concurrency} block is unchanged; a changed
 * block gets a new limiter, and attempts still holding places of the old one give them back to it.
 */
public final class ConcurrencyLimiters {
  private final Clock clock;
  private final GatewayEvents events;
  private final ConcurrentHashMap<String, TargetLimiter> byTarget = new ConcurrentHashMap<>();

  public ConcurrencyLimiters(Clock clock, GatewayEvents events) {
    this.clock = clock;
    this.events = events;
  }

  /** Makes the limiters of {@code targets} now, so their gauges show from the start. */
  public void prepare(Collection<TargetConfig> targets) {
    targets.forEach(this::of);
  }

  /** Returns the limiter of {@code target}, or empty when it has no {@code concurrency} block. */
  Optional<TargetLimiter> of(TargetConfig target) {
    if (target.concurrency().isEmpty()) {
      return Optional.empty();
    }
    ConcurrencyConfig config = target.concurrency().get();
    TargetLimiter current = byTarget.get(target.name());
    if (current != null && current.config().equals(config)) {
      return Optional.of(current);
    }
    TargetLimiter made = new TargetLimiter(config, clock);
    TargetLimiter kept = byTarget.compute(target.name(),
        (name, old) -> old != null && old.config().equals(config) ? old : made);
    if (kept == made) {
      events.concurrencyLimiterCreated(target.name(), made::limit, made::inFlight, made::waiting);
    }
    return Optional.of(kept);
  }
}
