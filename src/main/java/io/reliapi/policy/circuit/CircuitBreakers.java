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
    this.byTarget = Map.copyOf(byTarget);
  }

  public static CircuitBreakers create(Collection<TargetConfig> targets, Clock clock, GatewayEvents events) {
    Map<String, TargetBreaker> out = new LinkedHashMap<>();
    for (TargetConfig target : targets) {
      if (target.circuit().enabled()) {
        out.put(target.name(), new TargetBreaker(target.name(), target.circuit(), clock, events));
      }
    }
    return new CircuitBreakers(out);
  }

  /** Returns the breaker of {@code target}, or empty when its breaker is disabled. */
  public Optional<TargetBreaker> of(String target) {
    return Optional.ofNullable(byTarget.get(target));
  }
}
