package io.reliapi.policy.route;

import io.reliapi.http.Reply;
import io.vertx.core.Future;

/** Sends an attempt on, as the same attempt, to a sibling of the deployment it was at (which is passed over). */
@FunctionalInterface
interface SiblingMove {
  /** Moves the attempt; {@code reason} labels it in {@code reliapi_deployment_moves_total}. */
  Future<Reply> go(String reason);
}
