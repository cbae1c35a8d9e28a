package io.reliapi.policy.circuit;

import io.reliapi.config.TargetConfig;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** One breaker per target with {@code circuit.enabled}, built once per gateway and shared by every event loop. */
public final class CircuitBreakers {
  private final Map<String, TargetBreaker> byTarget;

  private CircuitBreakers(Map<String, TargetBreaker> byTarget) {
    this.byTarget = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byTarget));
  }

  public static CircuitBreakers create(Collection<TargetConfig> targets, Clock clock, GatewayEvents events) {
    return create(targets, clock, events, new CircuitBreakers(Map.of()));
  }

  /**
   * Builds the breakers of a reloaded config: a target whose {@code circuit} block is unchanged keeps its
   * breaker from {@code previous}, state and counts included; others get a new, closed one.
   */
  public static CircuitBreakers create(Collection<TargetConfig> targets, Clock clock, GatewayEvents events,
      CircuitBreakers previous) {
    Map<String, TargetBreaker> out = new LinkedHashMap<>();
    for (TargetConfig target : targets) {
      if (target.circuit().enabled()) {
        TargetBreaker kept = previous.byTarget.get(target.name());
        out.put(target.name(), kept != null && kept.config().equals(target.circuit())
            ? kept : new TargetBreaker(target.name(), target.circuit(), clock, events));
      }
    }
    return new CircuitBreakers(out);
  }

  /** Returns every breaker by target name, in config order. */
  public Map<String, TargetBreaker> all() {
    return byTarget;
  }

  /** Returns the breaker of {@code target}, or empty when its breaker is disabled. */
  public Optional<TargetBreaker> of(String target) {
    return Optional.ofNullable(byTarget.get(target));
  }
}
