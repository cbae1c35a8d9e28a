package io.reliapi.store;

import java.util.concurrent.ConcurrentHashMap;

/**
 * This instance's copy of the deployments left out, shared by its event loops; the Redis implementation
 * keeps one of these and feeds it what other instances announce. Keys are bounded by the configured
 * targets and deployments (and those other instances announce), so nothing is evicted; a cooldown that
 * ended is simply in the past.
 */
public final class InMemoryDeploymentStates implements DeploymentStates {
  private final ConcurrentHashMap<String, Long> coolingUntil = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, String> ejected = new ConcurrentHashMap<>();

  @Override
  public void coolDown(String target, String deployment, long untilEpochMillis) {
    coolingUntil.merge(key(target, deployment), untilEpochMillis, Math::max);
  }

  @Override
  public long coolingUntil(String target, String deployment) {
    Long until = coolingUntil.get(key(target, deployment));
    return until == null ? 0 : until;
  }

  @Override
  public void eject(String target, String deployment, String reason) {
    ejected.putIfAbsent(key(target, deployment), reason);
  }

  @Override
  public String ejection(String target, String deployment) {
    return ejected.get(key(target, deployment));
  }

  @Override
  public void clearEjections() {
    ejected.clear();
  }

  /** Target and deployment names never hold a space (config names are letters, digits, '_' and '-'). */
  static String key(String target, String deployment) {
    return target + ' ' + deployment;
  }
}
