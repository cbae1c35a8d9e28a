package io.reliapi.store;

/**
 * Which deployments of which targets are left out of selection: cooling down after a 429 until a moment,
 * or ejected (their credential was refused) until this instance reloads its config or restarts. With
 * Redis every instance on it learns of both; reads are always answered from this instance's own copy, so
 * choosing a deployment never waits for the store. Names are the configured target and deployment names.
 */
public interface DeploymentStates {

  /**
   * Leaves the deployment out until {@code untilEpochMillis} on every instance sharing this store; an end
   * earlier than one already set never shortens that one.
   */
  void coolDown(String target, String deployment, long untilEpochMillis);

  /** Returns the epoch milliseconds until which the deployment cools down; 0 when it never did. */
  long coolingUntil(String target, String deployment);

  /** Leaves the deployment out, on every instance sharing this store, until {@link #clearEjections()} there. */
  void eject(String target, String deployment, String reason);

  /** Returns why the deployment was ejected, or null while it is in service. */
  String ejection(String target, String deployment);

  /** Puts every deployment this instance ejected back in service (the config was reloaded). */
  void clearEjections();

  /** Stops sharing (Redis: the subscription); local reads still work. */
  default io.vertx.core.Future<Void> close() {
    return io.vertx.core.Future.succeededFuture();
  }
}
