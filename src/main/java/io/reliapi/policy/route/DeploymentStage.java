package io.reliapi.policy.route;

import io.reliapi.config.DeploymentConfig;
import io.reliapi.config.RetryMatrix.ErrorClass;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Body;
import io.reliapi.http.Reply;
import io.reliapi.llm.Bodies;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.Chain;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.Stage;
import io.reliapi.policy.Outcome;
import io.reliapi.policy.ResendSafety;
import io.reliapi.policy.circuit.CircuitStage;
import io.reliapi.policy.retry.RetryAfter;
import io.reliapi.policy.retry.RetryBudgets;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import java.net.URI;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses where each attempt on a target with deployments goes ({@link DeploymentPool#choose}) and stamps the
 * deployment on it; targets without deployments pass through. After the attempt:
 *
 * <ul>
 *   <li>a 429 cools the deployment down (not one of a request that chose its OpenAI organization or project),
 *       on every instance, for its {@code Retry-After} (at most an hour) or
 *       the target's {@code deployment_cooldown_s}; the answer's {@code Retry-After} then says when the target
 *       can be tried again (0 while a sibling can), so the retry stage's next attempt goes to a sibling at once;
 *   <li>a 503 or 529 with a {@code Retry-After} moves the same attempt to a deployment this request has not tried
 *       yet, when one is in service, the request may be sent again, its {@code 5xx} retry rule allows another
 *       attempt and the target's retry budget allows one more call (each move is drawn from it, as a hedge is);
 *       nothing cools down (the wait is one answer's, and one client choosing the path must not take deployments
 *       out for everyone);
 *   <li>a 401 or 402 (on an LLM target a 403 too) ejects it, on every instance, until reload or restart, and the
 *       same attempt moves to a sibling when the request's body can be sent again (the refusal means it was not
 *       acted upon); the last deployment in service is never ejected, so its answers reach the client as they are;
 *   <li>only refusals of the gateway's own credential do either: one of a credential the client sent itself is
 *       that client's answer ({@link Refusals}), and so is every refusal of a request that chose its OpenAI
 *       organization or project but a readable 401 {@code invalid_api_key};
 *   <li>its breaker refusing the attempt (another attempt took the last half-open trial) moves it to a sibling;
 *   <li>so does its connection pool refusing the attempt, every connection busy ({@code OVERLOADED}, nothing sent,
 *       so safe for any method). A target's concurrency limit shedding it does not: every deployment shares it.
 * </ul>
 *
 * When no deployment can be tried: 429 {@code UPSTREAM_RATE_LIMITED} while one cools down, else 503
 * {@code CIRCUIT_OPEN}, each with the seconds until the first is back, and no upstream call; 503 {@code OVERLOADED}
 * when a full pool left the attempt nowhere to go.
 */
public final class DeploymentStage implements Stage {
  private static final Logger LOG = LoggerFactory.getLogger(DeploymentStage.class);
  static final long MAX_COOLDOWN_MS = TimeUnit.HOURS.toMillis(1);
  /** A refusal read whole is at most this long; OpenAI's are a few hundred bytes. */
  private static final long REFUSAL_BODY_MAX_BYTES = 64 * 1024;

  private final DeploymentPools pools;
  private final Clock clock;
  private final GatewayEvents events;
  private final RetryBudgets retryBudgets;

  public DeploymentStage(DeploymentPools pools, Clock clock, GatewayEvents events, RetryBudgets retryBudgets) {
    this.pools = pools;
    this.clock = clock;
    this.events = events;
    this.retryBudgets = retryBudgets;
  }

  @Override
  public Future<Reply> handle(Exchange exchange, Chain next) {
    DeploymentPool pool = pools.of(exchange.target().name());
    return pool == null ? next.proceed(exchange) : place(exchange, next, pool, pinned(exchange, pool), null);
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
   * passed one over, the answer when no other deployment can take the attempt.
   */
  private Future<Reply> place(Exchange exchange, Chain next, DeploymentPool pool, Set<String> passedOver,
      GatewayException poolFull) {
    return switch (pool.choose(exchange.tried(), passedOver, clock.epochMillis())) {
      case DeploymentPool.Chosen chosen -> attempt(exchange, next, pool, passedOver, chosen);
      case DeploymentPool.Choice none when poolFull != null -> Future.failedFuture(poolFull);
      case DeploymentPool.AllCoolingDown all -> Future.failedFuture(GatewayException.of(
          ErrorCode.UPSTREAM_RATE_LIMITED, "Every deployment of the target is rate limited; try again later.")
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
    return next.proceed(exchange.withDeployment(deployment)).transform(done -> {
      pool.ended(chosen.index());
      if (!exchange.context().cancellation().cancelled()) {
        // The deployment that answered; a hedged attempt cancelled because the other won leaves it be.
        exchange.trace().deployment(deployment.name());
      }
      Outcome outcome = Outcome.of(done);
      exchange.tried().lastMayHaveActed(outcome.mayHaveBeenProcessed());
      if (outcome instanceof Outcome.Failed failed && failed.code() == ErrorCode.CIRCUIT_OPEN) {
        passedOver.add(deployment.name());
        return place(exchange, next, pool, passedOver, null);
      }
      if (outcome instanceof Outcome.Failed failed && failed.error().poolFull()
          && !exchange.context().cancellation().cancelled()) {
        passedOver.add(deployment.name());
        return place(exchange, next, pool, passedOver, failed.error());
      }
      if (outcome instanceof Outcome.Answered(Reply reply) && Refusals.isRefusal(reply.status())) {
        return refused(exchange, next, pool, passedOver, chosen, reply);
      }
      if (outcome instanceof Outcome.Answered(Reply reply) && movesOnOverload(exchange, pool, passedOver, outcome)
          && drawsBudget(exchange)) {
        reply.body().discard();
        passedOver.add(deployment.name());
        return place(exchange, next, pool, passedOver, null);
      }
      return outcome.toFuture();
    });
  }

  /**
   * What a refusal (401, 402, 403, 429) does to its deployment. Only a refusal reads the request's headers: most
   * answers are none, and every answer of a pooled target passes here. A refusal of a request that chose its OpenAI
   * organization or project ({@link Refusals#choseAccount}) ejects only when it plainly refuses the key
   * ({@link Refusals#refusesKey}): a 401 is read whole for that when it says it is small and not compressed
   * ({@link Refusals#readable}), its bytes taken from the request's memory budget; anything else goes back to the
   * client untouched. Its 429 cools nothing: OpenAI limits each organization and project apart.
   */
  private Future<Reply> refused(Exchange exchange, Chain next, DeploymentPool pool, Set<String> passedOver,
      DeploymentPool.Chosen chosen, Reply reply) {
    Set<String> own = pool.credentialHeaders(chosen.index());
    boolean clientCredential = Refusals.clientCredential(exchange.call().headers(), own);
    if (!clientCredential && Refusals.choseAccount(exchange.call().headers(), own, sentTo(pool, chosen))) {
      if (reply.status() != 401 || !Refusals.readable(reply.headers(), REFUSAL_BODY_MAX_BYTES)) {
        return Future.succeededFuture(reply);
      }
      return Bodies.read(reply.body(), REFUSAL_BODY_MAX_BYTES, false, exchange.context().buffered())
          .compose(bytes -> decide(exchange, next, pool, passedOver, chosen, reply.withBody(Body.of(bytes)),
              !Refusals.refusesKey(bytes)));
    }
    return decide(exchange, next, pool, passedOver, chosen, reply, clientCredential);
  }

  /** The base URL the chosen deployment's calls go to: its own, or its target's. */
  private static URI sentTo(DeploymentPool pool, DeploymentPool.Chosen chosen) {
    URI own = chosen.deployment().baseUrl();
    return own != null ? own : pool.target().baseUrl();
  }

  /** Cools down or ejects the deployment for a refusal, unless it is the client's ({@code clientsOwn}). */
  private Future<Reply> decide(Exchange exchange, Chain next, DeploymentPool pool, Set<String> passedOver,
      DeploymentPool.Chosen chosen, Reply reply, boolean clientsOwn) {
    DeploymentConfig deployment = chosen.deployment();
    if (reply.status() == 429) {
      if (!Refusals.coolsDown(clientsOwn)) {
        return Future.succeededFuture(reply);
      }
      long now = clock.epochMillis();
      long ms = RetryAfter.delayMs(reply.headers().get("Retry-After"), now)
          .orElse(TimeUnit.SECONDS.toMillis(pool.target().deploymentCooldownS()));
      return Future.succeededFuture(coolDown(pool, deployment, reply, now, ms));
    }
    String reason = Refusals.ejectionReason(reply.status(), pool.target().isLlm(),
        !pool.credentialHeaders(chosen.index()).isEmpty(), clientsOwn);
    if (reason != null && eject(pool, deployment, reason) && resendable(exchange)) {
      reply.body().discard();
      passedOver.add(deployment.name());
      return place(exchange, next, pool, passedOver, null);
    }
    return Future.succeededFuture(reply);
  }

  /**
   * Returns whether a 503 or 529 with a {@code Retry-After} moves this attempt to a sibling: one in service that
   * this request has not tried, when the request may be sent again ({@link ResendSafety}, and not {@link #pinned}
   * to the deployment that answered) and its {@code 5xx} rule allows an attempt after this one (a rule of
   * {@code attempts: 1} asks for one call). The move is this request's only, as for an ejection's; otherwise the
   * answer goes back to the retry stage, which waits out the {@code Retry-After} or stops.
   */
  private boolean movesOnOverload(Exchange exchange, DeploymentPool pool, Set<String> passedOver, Outcome outcome) {
    if (!(outcome instanceof Outcome.Answered(Reply reply)) || reply.status() != 503 && reply.status() != 529
        || exchange.context().cancellation().cancelled()) {
      return false;
    }
    long now = clock.epochMillis();
    int attempts = exchange.target().retry().rule(ErrorClass.SERVER_ERROR).attempts();
    return RetryAfter.delayMs(reply.headers().get("Retry-After"), now).isPresent()
        && Math.max(1, exchange.attempt()) < attempts
        && ResendSafety.of(exchange).allowsResendAfter(outcome) && pinned(exchange, pool).isEmpty()
        && pool.untriedAvailable(exchange.tried(), passedOver, now);
  }

  /**
   * Draws one call from the target's retry budget for a move: it loads the provider as a retry does, and an
   * overload of every deployment would otherwise make one call per deployment for each request. Refused, the
   * answer goes back as it is.
   */
  private boolean drawsBudget(Exchange exchange) {
    if (retryBudgets.tryExtraAttempt(exchange.target(), clock.nanoTime())) {
      return true;
    }
    RetryBudgets.recordRefusal(exchange, exchange.attempt(), events);
    return false;
  }

  /** Cools {@code deployment} down for {@code ms} (at most an hour); the answer's Retry-After says when to retry. */
  private Reply coolDown(DeploymentPool pool, DeploymentConfig deployment, Reply reply, long now, long ms) {
    pool.coolDown(deployment, now + Math.min(ms, MAX_COOLDOWN_MS));
    events.deploymentCooledDown(pool.target().name(), deployment.name());
    return reply.withHeaders(reply.headers().with("Retry-After", Long.toString(pool.secondsUntilAvailable(now))));
  }

  private boolean eject(DeploymentPool pool, DeploymentConfig deployment, String reason) {
    if (!pool.eject(deployment, reason)) {
      return false;
    }
    String target = pool.target().name();
    LOG.error("DEPLOYMENT EJECTED: deployment {} of target {} was refused ({}); its credential or account needs "
        + "attention. It takes no requests on any instance until the config is reloaded or the gateway restarts.",
        deployment.name(), target, reason);
    events.deploymentEjected(target, deployment.name(), reason);
    return true;
  }

  /** Returns whether the request's body can be sent again: a one-shot stream cannot. */
  private static boolean resendable(Exchange exchange) {
    return !(exchange.call().body() instanceof Body.Stream);
  }
}
