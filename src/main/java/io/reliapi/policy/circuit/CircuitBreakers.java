package io.reliapi.policy.circuit;

import io.reliapi.config.AuthConfig;
import io.reliapi.config.DeploymentConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.time.Clock;
import java.net.URI;
import java.util.Collection;
import java.util.Collections;
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
  /** What each breaker judges, by the same names: a breaker is kept over a reload only for the same upstream. */
  private final Map<String, Upstream> upstreams;

  /** The upstream a breaker's counts are about: the same base URL called with the same credential. */
  private record Upstream(URI baseUrl, Optional<AuthConfig> auth) {
    static Upstream of(TargetConfig target) {
      return new Upstream(target.baseUrl(), target.auth());
    }
  }

  private CircuitBreakers(Map<String, TargetBreaker> byName, Map<String, Upstream> upstreams) {
    this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
    this.upstreams = Map.copyOf(upstreams);
  }

  public static CircuitBreakers create(Collection<TargetConfig> targets, Clock clock, GatewayEvents events) {
    return create(targets, clock, events, new CircuitBreakers(Map.of(), Map.of()));
  }

  /**
   * Builds the breakers of a reloaded config: a target (or deployment) whose {@code circuit} block, base URL and
   * credential are unchanged keeps its breaker from {@code previous}, state and counts included; others get a
   * new, closed one (counts about another upstream say nothing about this one).
   */
  public static CircuitBreakers create(Collection<TargetConfig> targets, Clock clock, GatewayEvents events,
      CircuitBreakers previous) {
    Map<String, TargetBreaker> out = new LinkedHashMap<>();
    Map<String, Upstream> judged = new LinkedHashMap<>();
    for (TargetConfig target : targets) {
      if (!target.circuit().enabled()) {
        continue;
      }
      if (target.deployments().isEmpty()) {
        Upstream upstream = Upstream.of(target);
        judged.put(target.name(), upstream);
        out.put(target.name(), kept(previous, target.name(), target, upstream)
            .orElseGet(() -> new TargetBreaker(target.name(), null, target.circuit(), clock, events)));
      }
      for (DeploymentConfig deployment : target.deployments()) {
        String name = name(target.name(), deployment.name());
        Upstream upstream = Upstream.of(target.forDeployment(deployment));
        judged.put(name, upstream);
        out.put(name, kept(previous, name, target, upstream)
            .orElseGet(() -> new TargetBreaker(target.name(), deployment.name(), target.circuit(), clock, events)));
      }
    }
    return new CircuitBreakers(out, judged);
  }

  private static Optional<TargetBreaker> kept(CircuitBreakers previous, String name, TargetConfig target,
      Upstream upstream) {
    return Optional.ofNullable(previous.byName.get(name))
        .filter(b -> b.config().equals(target.circuit()) && upstream.equals(previous.upstreams.get(name)));
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
