package io.reliapi.policy.route;

import io.reliapi.config.DeploymentConfig;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Reply;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.Chain;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.Stage;
import io.reliapi.policy.Outcome;
import io.reliapi.policy.circuit.CircuitStage;
import io.reliapi.policy.retry.RetryBudgets;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import java.util.HashSet;
import java.util.Set;

/**
 * Chooses where each attempt on a target with deployments goes ({@link DeploymentPool#choose}) and stamps the
 * deployment on it; targets without deployments pass through. After the attempt, the same attempt moves to a
 * sibling ({@link SiblingMove}, counted in {@code reliapi_deployment_moves_total}) when:
 *
 * <ul>
 *   <li>its deployment's breaker refused it (another attempt took the last half-open trial): {@code circuit_open};
 *   <li>its connection pool refused it, every connection busy ({@code OVERLOADED}, nothing sent, so safe for any
 *       method): {@code pool_full}. A target's concurrency limit shedding it does not: every deployment shares it;
 *   <li>a refusal ejected the deployment ({@link RefusalActions}, which also cools a deployment down after a 429):
 *       {@code refused};
 *   <li>a 503 or 529 with a {@code Retry-After} asked the request to wait ({@link OverloadMove}): {@code overloaded}.
 * </ul>
 *
 * When no deployment can be tried: 429 {@code UPSTREAM_RATE_LIMITED} while one cools down, else 503
 * {@code CIRCUIT_OPEN}, each with the seconds until the first is back, and no upstream call; 503 {@code OVERLOADED}
 * when a full pool left the attempt nowhere to go. When every deployment left asked this request to wait, the retry
 * stage learns it with the attempt's outcome ({@link io.reliapi.pipeline.TriedDeployments#allAskedToWaitUntil()}),
 * so the request ends with the last upstream answer unless the wait is short; a retry that still finds them so (a
 * breaker opened or an ejection meanwhile) gets 503 {@code OVERLOADED}.
 */
public final class DeploymentStage implements Stage {
  private final DeploymentPools pools;
  private final Clock clock;
  private final GatewayEvents events;
  private final RefusalActions refusals;
  private final OverloadMove overload;

  public DeploymentStage(DeploymentPools pools, Clock clock, GatewayEvents events, RetryBudgets retryBudgets) {
    this.pools = pools;
    this.clock = clock;
    this.events = events;
    this.refusals = new RefusalActions(clock, events);
    this.overload = new OverloadMove(clock, events, retryBudgets);
  }

  @Override
  public Future<Reply> handle(Exchange exchange, Chain next) {
    DeploymentPool pool = pools.of(exchange.target().name());
    if (pool == null) {
      return next.proceed(exchange);
    }
    // Before the retry stage decides (and lets the answer go): a retry that every deployment left asked to wait
    // would go nowhere, so it waits for the first to be back, or the request ends with this answer.
    return place(exchange, next, pool, pinned(exchange, pool), null, null).onComplete(done ->
        exchange.tried().allAskedToWaitUntil(
            pool.allAskedToWaitUntil(exchange.tried(), pinned(exchange, pool), clock.epochMillis())));
  }

  /**
   * The deployments a retry must pass over: for a keyed request of a method that may act (on a target that is
   * not an LLM's), every one but the deployment whose earlier attempt may have acted on it. Only that deployment
   * saw the key the client sent to make the request act once; another one (another account or region) could
   * act on it a second time. When it cannot be tried now the retry is refused as any attempt with nowhere to go.
   */
  private static Set<String> pinned(Exchange exchange, DeploymentPool pool) {
    Set<String> passedOver = new HashSet<>();
    String last = exchange.tried().last();
    boolean mayActTwice = !exchange.call().idempotentMethod() && !exchange.target().isLlm()
        && exchange.context().idempotencyKey().isPresent();
    if (last != null && mayActTwice && exchange.tried().lastMayHaveActed()) {
      for (DeploymentConfig deployment : pool.target().deployments()) {
        if (!deployment.name().equals(last)) {
          passedOver.add(deployment.name());
        }
      }
    }
    return passedOver;
  }

  /**
   * Sends the attempt to a deployment not {@code passedOver}; {@code poolFull} is the refusal of a full pool that
   * passed one over, the answer when no other deployment can take the attempt; {@code moved} says why the attempt
   * left the deployment it was at, null for a first placing.
   */
  private Future<Reply> place(Exchange exchange, Chain next, DeploymentPool pool, Set<String> passedOver,
      GatewayException poolFull, String moved) {
    return switch (pool.choose(exchange.tried(), passedOver, clock.epochMillis())) {
      case DeploymentPool.Chosen chosen -> {
        if (moved != null) {
          events.deploymentMoved(pool.target().name(), moved);
        }
        yield attempt(exchange, next, pool, passedOver, chosen);
      }
      case DeploymentPool.Choice none when poolFull != null -> Future.failedFuture(poolFull);
      case DeploymentPool.AllCoolingDown all -> Future.failedFuture(GatewayException.of(
          ErrorCode.UPSTREAM_RATE_LIMITED, "Every deployment of the target is rate limited; try again later.")
          .withRetryAfter(all.retryAfterS()));
      case DeploymentPool.AllAskedToWait all -> Future.failedFuture(GatewayException.of(ErrorCode.OVERLOADED,
          "Every deployment of the target asked this request to wait; try again later.")
          .withRetryAfter(all.retryAfterS()));
      case DeploymentPool.AllOpen all -> Future.failedFuture(CircuitStage.refused(all.retryAfterS()));
    };
  }

  private Future<Reply> attempt(Exchange exchange, Chain next, DeploymentPool pool, Set<String> passedOver,
      DeploymentPool.Chosen chosen) {
    DeploymentConfig deployment = chosen.deployment();
    exchange.tried().add(deployment.name());
    exchange.trace().deployment(deployment.name());
    pool.started(chosen.index());
    SiblingMove move = reason -> {
      passedOver.add(deployment.name());
      return place(exchange, next, pool, passedOver, null, reason);
    };
    return next.proceed(exchange.withDeployment(deployment)).transform(done -> {
      pool.ended(chosen.index());
      if (!exchange.context().cancellation().cancelled()) {
        // The deployment that answered; a hedged attempt cancelled because the other won leaves it be.
        exchange.trace().deployment(deployment.name());
      }
      Outcome outcome = Outcome.of(done);
      exchange.tried().lastMayHaveActed(outcome.mayHaveBeenProcessed());
      overload.noteWait(exchange, deployment.name(), outcome);
      if (outcome instanceof Outcome.Failed failed && failed.code() == ErrorCode.CIRCUIT_OPEN) {
        return move.go("circuit_open");
      }
      if (outcome instanceof Outcome.Failed failed && failed.error().poolFull()
          && !exchange.context().cancellation().cancelled()) {
        passedOver.add(deployment.name());
        return place(exchange, next, pool, passedOver, failed.error(), "pool_full");
      }
      if (outcome instanceof Outcome.Answered(Reply reply) && Refusals.isRefusal(reply.status())) {
        return refusals.refused(exchange, pool, chosen, reply, move);
      }
      if (outcome instanceof Outcome.Answered(Reply reply)
          && overload.applies(exchange, pool, passedOver, !pinned(exchange, pool).isEmpty(), outcome)) {
        return overload.move(exchange, deployment.name(), reply, move);
      }
      return outcome.toFuture();
    });
  }
}
