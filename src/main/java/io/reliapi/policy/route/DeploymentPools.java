package io.reliapi.policy.route;

import io.reliapi.config.GatewayConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.policy.circuit.CircuitBreakers;
import io.reliapi.store.DeploymentStates;
import java.util.HashMap;
import java.util.Map;
import java.util.function.DoubleSupplier;

/** The pools of every target with deployments, built once per config and shared by every event loop. */
public final class DeploymentPools {
  private final Map<String, DeploymentPool> byTarget = new HashMap<>();

  /** {@code random} draws from [0, 1) for the weighted second choice; thread-safe. */
  public DeploymentPools(GatewayConfig config, DeploymentStates states, CircuitBreakers breakers,
      DoubleSupplier random) {
    for (TargetConfig target : config.targets().values()) {
      if (!target.deployments().isEmpty()) {
        byTarget.put(target.name(), new DeploymentPool(target, states, breakers, random));
      }
    }
  }

  /** Returns the pool of {@code target}, or null when it has no deployments. */
  DeploymentPool of(String target) {
    return byTarget.get(target);
  }
}
