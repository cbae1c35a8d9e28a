package io.reliapi.policy.route;

import io.reliapi.config.DeploymentConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.http.HeaderNames;
import io.reliapi.llm.Providers;
import io.reliapi.pipeline.TriedDeployments;
import io.reliapi.policy.circuit.CircuitBreakers;
import io.reliapi.store.DeploymentStates;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.DoubleSupplier;

/**
 * The deployments of one target as selection sees them: their weights, the requests each has in flight (on
 * every event loop), and whether each can be tried now: not ejected, not cooling down, its breaker not open.
 * Built once per config; the cooldowns and ejections live in the shared {@link DeploymentStates}.
 */
final class DeploymentPool {
  private final TargetConfig target;
  private final List<DeploymentConfig> deployments;
  private final int[] weights;
  private final AtomicIntegerArray outstanding;
  private final SmoothWeights roundRobin;
  private final DeploymentStates states;
  private final PoolAvailability availability;
  private final DoubleSupplier random;
  /** The names of the headers each deployment's own credential is sent in; empty when it sends none. */
  private final List<Set<String>> credentialHeaders;

  DeploymentPool(TargetConfig target, DeploymentStates states, CircuitBreakers breakers, DoubleSupplier random) {
    this.target = target;
    this.deployments = target.deployments();
    this.weights = deployments.stream().mapToInt(DeploymentConfig::weight).toArray();
    this.outstanding = new AtomicIntegerArray(weights.length);
    this.roundRobin = new SmoothWeights(weights);
    this.states = states;
    this.availability = new PoolAvailability(target, states, breakers);
    this.random = random;
    this.credentialHeaders = deployments.stream()
        .map(d -> HeaderNames.of(Providers.credentials(target.forDeployment(d)).toLowerCaseMap().keySet()
            .toArray(String[]::new)))
        .toList();
  }

  /** Where one attempt goes, or why it goes nowhere. */
  sealed interface Choice {}

  /** Send the attempt to deployment number {@code index}. */
  record Chosen(int index, DeploymentConfig deployment) implements Choice {}

  /** Every deployment in service cools down (some may be behind open breakers); the first is back in {@code retryAfterS}. */
  record AllCoolingDown(long retryAfterS) implements Choice {}

  /** Every deployment in service is behind an open breaker; the first half-opens in {@code retryAfterS}. */
  record AllOpen(long retryAfterS) implements Choice {}

  /**
   * Every deployment in service that no breaker or cooldown keeps out asked this request to wait (a 503 or 529 with
   * {@code Retry-After}); the first wait ends in {@code retryAfterS}.
   */
  record AllAskedToWait(long retryAfterS) implements Choice {}

  /**
   * Chooses a deployment for the next attempt: among those that can be tried now and were not {@code passedOver}
   * for this attempt already nor asked this request to wait, one no earlier attempt of the request went to, else
   * not the latest one, else any. Ejected deployments are tried only when every deployment is ejected (other instances may eject the last
   * one this instance kept), so the client then gets the upstream's own answer.
   */
  Choice choose(TriedDeployments tried, Set<String> passedOver, long nowEpochMillis) {
    PoolAvailability.Availability now = availability.of(passedOver, tried, nowEpochMillis);
    if (now.count() == 0) {
      return now.cooling() ? new AllCoolingDown(now.firstBackS())
          : now.waiting() ? new AllAskedToWait(now.firstBackS()) : new AllOpen(now.firstBackS());
    }
    boolean[] candidates = preferUntried(now.available(), tried);
    int[] inFlight = new int[weights.length];
    for (int i = 0; i < weights.length; i++) {
      inFlight[i] = outstanding.get(i);
    }
    int index = DeploymentChoice.choose(weights, inFlight, candidates, roundRobin.next(candidates), random);
    return new Chosen(index, deployments.get(index));
  }

  /** Narrows {@code available} to the deployments the request has not tried, else to all but its latest one. */
  private boolean[] preferUntried(boolean[] available, TriedDeployments tried) {
    boolean[] untried = new boolean[available.length];
    boolean[] notLatest = new boolean[available.length];
    boolean anyUntried = false;
    boolean anyNotLatest = false;
    for (int i = 0; i < available.length; i++) {
      String name = deployments.get(i).name();
      untried[i] = available[i] && !tried.contains(name);
      notLatest[i] = available[i] && !name.equals(tried.last());
      anyUntried |= untried[i];
      anyNotLatest |= notLatest[i];
    }
    return anyUntried ? untried : anyNotLatest ? notLatest : available;
  }

  /** Returns whether a deployment the request has not tried, nor {@code passedOver}, can be tried now. */
  boolean untriedAvailable(TriedDeployments tried, Set<String> passedOver, long nowEpochMillis) {
    boolean[] available = availability.of(passedOver, tried, nowEpochMillis).available();
    for (int i = 0; i < available.length; i++) {
      if (available[i] && !tried.contains(deployments.get(i).name())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns the seconds until some deployment can take the request that {@code tried} them again: 0 when one can now,
   * one that asked it to wait does not. A 429's {@code Retry-After} says this on a target with deployments, so a retry
   * goes to a sibling at once, and waits (or gives up) when none will take it.
   */
  long secondsUntilAvailable(TriedDeployments tried, long nowEpochMillis) {
    PoolAvailability.Availability now = availability.of(Set.of(), tried, nowEpochMillis);
    return now.count() > 0 ? 0 : now.firstBackS();
  }

  /**
   * Returns when the first deployment is back for the next attempt of the request that {@code tried} them, when every
   * deployment not {@code passedOver} is kept out and at least one because it asked this request to wait (the choice
   * would be {@link AllAskedToWait}); 0 otherwise, also when they cool down (a 429's {@code Retry-After} says that).
   */
  long allAskedToWaitUntil(TriedDeployments tried, Set<String> passedOver, long nowEpochMillis) {
    PoolAvailability.Availability now = availability.of(passedOver, tried, nowEpochMillis);
    return now.count() == 0 && !now.cooling() && now.waiting() ? nowEpochMillis + now.firstBackS() * 1000 : 0;
  }

  /**
   * Takes {@code deployment} out of service until reload or restart; returns false, leaving it in, when it
   * is the last one in service: with nowhere else to go, its answers go to the client as they are.
   */
  boolean eject(DeploymentConfig deployment, String reason) {
    for (DeploymentConfig other : deployments) {
      if (other != deployment && states.ejection(target.name(), other.name()) == null) {
        states.eject(target.name(), deployment.name(), reason);
        return true;
      }
    }
    return false;
  }

  void coolDown(DeploymentConfig deployment, long untilEpochMillis) {
    states.coolDown(target.name(), deployment.name(), untilEpochMillis);
  }

  /** Returns the names of the headers deployment number {@code index} sends its own credential in. */
  Set<String> credentialHeaders(int index) {
    return credentialHeaders.get(index);
  }

  void started(int index) {
    outstanding.incrementAndGet(index);
  }

  void ended(int index) {
    outstanding.decrementAndGet(index);
  }

  TargetConfig target() {
    return target;
  }
}
