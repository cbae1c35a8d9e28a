package io.reliapi.policy.concurrency;

import io.reliapi.config.ConcurrencyConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The concurrency limiters of this gateway instance, one per target name, shared by every event loop and made
 * once per process. Each config (startup, reload) says which targets have a limit and what it is: a target's
 * limiter takes a changed {@code concurrency} block in place (the limit starts afresh; the places held and the
 * queue stay), so a reload never lets the attempts of the old config and those of the new one run side by side
 * past the limit. Every attempt that starts after a reload, a retry of a request of the old config included, is
 * admitted under the newest limit; a target whose block a reload removed is not limited (the attempts waiting in
 * its queue go at once), and its limiter keeps counting the places its attempts still hold, should the block come
 * back.
 */
public final class ConcurrencyLimiters {
  private final Clock clock;
  private final GatewayEvents events;
  private final ConcurrentHashMap<String, TargetLimiter> byTarget = new ConcurrentHashMap<>();
  private volatile Map<String, TargetLimiter> limited = Map.of();

  public ConcurrencyLimiters(Clock clock, GatewayEvents events) {
    this.clock = clock;
    this.events = events;
  }

  /** Makes the limits of a new config's {@code targets} current (their gauges show from then on). */
  public synchronized void prepare(Collection<TargetConfig> targets) {
    Map<String, TargetLimiter> next = new HashMap<>();
    for (TargetConfig target : targets) {
      target.concurrency().ifPresent(config -> next.put(target.name(), limiter(target.name(), config)));
    }
    limited = Map.copyOf(next);
    byTarget.forEach((target, limiter) -> {
      if (!next.containsKey(target)) {
        limiter.lift();
      }
    });
  }

  private TargetLimiter limiter(String target, ConcurrencyConfig config) {
    TargetLimiter kept = byTarget.get(target);
    if (kept != null) {
      kept.reconfigure(config);
      return kept;
    }
    TargetLimiter made = new TargetLimiter(config, clock);
    byTarget.put(target, made);
    events.concurrencyLimiterCreated(target, made::limit, made::inFlight, made::waiting);
    return made;
  }

  /** Returns the limiter of {@code target} under the newest config, or empty when that config sets no limit. */
  Optional<TargetLimiter> of(TargetConfig target) {
    return Optional.ofNullable(limited.get(target.name()));
  }
}
