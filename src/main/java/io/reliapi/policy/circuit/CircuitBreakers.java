package io.reliapi.policy.circuit;

import io.reliapi.config.DeploymentConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The breakers of every target with {@code circuit.enabled}, built once per config and shared by every event
 * loop: one per target, or for a target with deployments one per deployment (a target without deployments is
 * its one deployment).
 */
public final class CircuitBreakers {
  /** Breakers by target name, or by {@code target/deployment} for a deployment's. */
  private final Map<String, TargetBreaker> byName;

  private CircuitBreakers(Map<String, TargetBreaker> byName) {
    this.byName = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byName));
  }

  public static CircuitBreakers create(Collection<TargetConfig> targets, Clock clock, GatewayEvents events) {
    return create(targets, clock, events, new CircuitBreakers(Map.of()));
  }

  /**
   * Builds the breakers of a reloaded config: a target (or deployment) whose {@code circuit} block is unchanged
   * keeps its breaker from {@code previous}, state and counts included; others get a new, closed one.
   */
  public static CircuitBreakers create(Collection<TargetConfig> targets, Clock clock, GatewayEvents events,
      CircuitBreakers previous) {
    Map<String, TargetBreaker> out = new LinkedHashMap<>();
    for (TargetConfig target : targets) {
      if (!target.circuit().enabled()) {
        continue;
      }
      if (target.deployments().isEmpty()) {
        out.put(target.name(), kept(previous, target.name(), target)
            .orElseGet(() -> new TargetBreaker(target.name(), null, target.circuit(), clock, events)));
      }
      for (DeploymentConfig deployment : target.deployments()) {
        String name = name(target.name(), deployment.name());
        out.put(name, kept(previous, name, target)
            .orElseGet(() -> new TargetBreaker(target.name(), deployment.name(), target.circuit(), clock, events)));
      }
    }
    return new CircuitBreakers(out);
  }

  private static Optional<TargetBreaker> kept(CircuitBreakers previous, String name, TargetConfig target) {
    return Optional.ofNullable(previous.byName.get(name)).filter(b -> b.config().equals(target.circuit()));
  }

  private static String name(String target, String deployment) {
    return target + "/" + deployment;
  }

  /** Returns the breaker of {@code target} without deployments, or empty when its breaker is disabled. */
  public Optional<TargetBreaker> of(String target) {
    return Optional.ofNullable(byName.get(target));
  }

  /**
   * Returns the breaker of {@code deployment} of {@code target}, or of the target itself when {@code deployment}
   * is null; empty when the target's breakers are disabled.
   */
  public Optional<TargetBreaker> of(String target, String deployment) {
    return Optional.ofNullable(byName.get(deployment == null ? target : name(target, deployment)));
  }
}
