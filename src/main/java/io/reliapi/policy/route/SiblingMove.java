package io.reliapi.policy.route;

import io.reliapi.http.Reply;
import io.reliapi.pipeline.Exchange;
import io.reliapi.policy.Outcome;
import io.vertx.core.Future;

/** Sends an attempt on, as the same attempt, to a sibling of the deployment it was at (which is passed over). */
@FunctionalInterface
interface SiblingMove {
  /** Moves the attempt; {@code reason} labels it in {@code reliapi_deployment_moves_total}. */
  Future<Reply> go(String reason);

  /**
   * Moves the attempt that got {@code answer} from {@code deployment}. When nothing of the moved attempt was sent
   * (the sibling's breaker took the last half-open trial elsewhere, its pool is full, a limit shed it, no sibling
   * could be chosen), {@code answer} goes back as it came, after {@code unsent} ran: the deployment's own answer says
   * more than the gateway's refusal. Else the moved attempt's outcome is the attempt's, and {@code answer} is let go.
   */
  default Future<Reply> keepingAnswer(String reason, Exchange exchange, String deployment, Reply answer,
      Runnable unsent) {
    return go(reason).transform(done -> {
      Outcome moved = Outcome.of(done);
      if (moved.sentUpstream() || exchange.context().cancellation().cancelled()) {
        answer.body().discard();
        return moved.toFuture();
      }
      unsent.run();
      exchange.trace().deployment(deployment);
      return Future.succeededFuture(answer);
    });
  }
}
