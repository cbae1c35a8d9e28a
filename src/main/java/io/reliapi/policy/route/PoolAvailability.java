package io.reliapi.policy.route;

import io.reliapi.config.DeploymentConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.pipeline.TriedDeployments;
import io.reliapi.policy.circuit.CircuitBreakers;
import io.reliapi.policy.circuit.TargetBreaker;
import io.reliapi.store.DeploymentStates;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which deployments of one target can be tried now: not ejected, not cooling down, their breaker not open, and not
 * asking the request at hand to wait; and, when none can, when the first is back. Reads the shared
 * {@link DeploymentStates} and the breakers as they are at each call; holds nothing of its own.
 */
final class PoolAvailability {
  private final TargetConfig target;
  private final List<DeploymentConfig> deployments;
  private final DeploymentStates states;
  private final CircuitBreakers breakers;

  PoolAvailability(TargetConfig target, DeploymentStates states, CircuitBreakers breakers) {
    this.target = target;
    this.deployments = target.deployments();
    this.states = states;
    this.breakers = breakers;
  }

  /**
   * Which deployments can be tried now, and if none, whether one cools down and when the first is back.
   *
   * @param firstBackS whole seconds until the first deployment left out can be tried, at least 1
   */
  record Availability(boolean[] available, int count, boolean cooling, boolean waiting, long firstBackS) {}

  /**
   * Leaves out the deployments {@code passedOver} for this attempt and those that asked the request that {@code
   * tried} them to wait, until they said.
   */
  Availability of(Set<String> passedOver, TriedDeployments tried, long nowEpochMillis) {
    int n = deployments.size();
    boolean ignoreEjections = allEjected();
    boolean[] available = new boolean[n];
    long firstBackMs = Long.MAX_VALUE;
    boolean cooling = false;
    boolean waiting = false;
    int count = 0;
    for (int i = 0; i < n; i++) {
      String name = deployments.get(i).name();
      if (passedOver.contains(name) || !ignoreEjections && states.ejection(target.name(), name) != null) {
        continue;
      }
      long coolingUntil = states.coolingUntil(target.name(), name);
      if (coolingUntil > nowEpochMillis) {
        cooling = true;
        firstBackMs = Math.min(firstBackMs, coolingUntil - nowEpochMillis);
        continue;
      }
      Optional<TargetBreaker> breaker = breakers.of(target.name(), name);
      if (breaker.isPresent() && !breaker.get().admits()) {
        firstBackMs = Math.min(firstBackMs, breaker.get().retryAfterS() * 1000);
        continue;
      }
      long waitUntil = tried.waitsUntil(name);
      if (waitUntil > nowEpochMillis) {
        waiting = true;
        firstBackMs = Math.min(firstBackMs, waitUntil - nowEpochMillis);
        continue;
      }
      available[i] = true;
      count++;
    }
    long firstBackS = firstBackMs == Long.MAX_VALUE ? 1 : Math.max(1, (firstBackMs + 999) / 1000);
    return new Availability(available, count, cooling, waiting, firstBackS);
  }

  private boolean allEjected() {
    for (DeploymentConfig deployment : deployments) {
      if (states.ejection(target.name(), deployment.name()) == null) {
        return false;
      }
    }
    return true;
  }
}
