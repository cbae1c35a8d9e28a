package io.reliapi.policy.route;

import io.reliapi.http.Reply;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.Exchange;
import io.reliapi.policy.Outcome;
import io.reliapi.policy.ResendSafety;
import io.reliapi.policy.retry.RetryAfter;
import io.reliapi.policy.retry.RetryBudgets;
import io.reliapi.policy.retry.RetryPolicy;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A 503 or 529 with a {@code Retry-After} from one deployment of a pooled target: the deployment asked this request
 * to wait, so none of the request's later attempts goes back to it before that wait ends (nothing is cooled for other
 * requests: one client choosing the path must not take deployments out for everyone), and the same attempt moves to
 * a deployment the request has not tried, when one is in service, the retry matrix and the request's resend safety
 * allow another attempt ({@link RetryPolicy#refusesAnother}, the retry stage's own reading) and the target's retry
 * budget allows one more call. When the sibling refuses the moved attempt before anything is sent (its breaker, a
 * full pool, a limit), the draw is given back and the overloaded answer goes back as it came, with its
 * {@code Retry-After}: it says more than the gateway's own refusal.
 */
final class OverloadMove {
  private final Clock clock;
  private final GatewayEvents events;
  private final RetryBudgets budgets;

  OverloadMove(Clock clock, GatewayEvents events, RetryBudgets budgets) {
    this.clock = clock;
    this.events = events;
    this.budgets = budgets;
  }

  /** Returns the wait an answer of a 503 or 529 asks for in its {@code Retry-After}, if it names one. */
  private OptionalLong askedWait(Outcome outcome) {
    if (outcome instanceof Outcome.Answered(Reply reply) && (reply.status() == 503 || reply.status() == 529)) {
      return RetryAfter.delayMs(reply.headers().get("Retry-After"), clock.epochMillis());
    }
    return OptionalLong.empty();
  }

  /** Notes on the request that {@code deployment} asked it to wait, when its answer did (at most an hour). */
  void noteWait(Exchange exchange, String deployment, Outcome outcome) {
    OptionalLong wait = askedWait(outcome);
    if (wait.isPresent()) {
      long ms = Math.min(wait.getAsLong(), RefusalActions.MAX_COOLDOWN_MS);
      exchange.tried().askedToWait(deployment, clock.epochMillis() + ms);
    }
  }

  /**
   * Returns whether {@code outcome} moves its attempt: an overload with a wait, a request that may go again and is
   * not pinned to the deployment that answered ({@code pinned}), and a deployment it has not tried in service.
   */
  boolean applies(Exchange exchange, DeploymentPool pool, Set<String> passedOver, boolean pinned, Outcome outcome) {
    if (askedWait(outcome).isEmpty() || exchange.context().cancellation().cancelled() || pinned) {
      return false;
    }
    return RetryPolicy.refusesAnother(exchange.target().retry(), ResendSafety.of(exchange),
        Math.max(1, exchange.attempt()), outcome).isEmpty()
        && pool.untriedAvailable(exchange.tried(), passedOver, clock.epochMillis());
  }

  /**
   * Moves the attempt that got {@code overloaded} from {@code deployment}, when the budget allows the call (a
   * refusal counts as the refusal of the next attempt, which the retry stage then does not ask again).
   */
  Future<Reply> move(Exchange exchange, String deployment, Reply overloaded, SiblingMove move) {
    long drawnAt = clock.nanoTime();
    if (!budgets.tryRetry(exchange, Math.max(1, exchange.attempt()) + 1, drawnAt, events)) {
      return Future.succeededFuture(overloaded);
    }
    return move.keepingAnswer("overloaded", exchange, deployment, overloaded,
        () -> budgets.giveBack(exchange.target(), drawnAt));
  }
}
