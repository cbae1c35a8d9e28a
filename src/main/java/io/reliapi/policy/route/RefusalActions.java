package io.reliapi.policy.route;

import io.reliapi.config.DeploymentConfig;
import io.reliapi.http.Body;
import io.reliapi.http.Reply;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.Exchange;
import io.reliapi.policy.retry.RetryAfter;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a deployment's refusal (401, 402, 403, 429) does to it: a 429 cools it down on every instance, for its
 * {@code Retry-After} (at most an hour) or the target's {@code deployment_cooldown_s}, and the answer's
 * {@code Retry-After} then says when the target can be tried again (0 while a sibling can); a 401 or 402 (on an LLM
 * target a 403 too) ejects it on every instance until reload or restart, and the attempt moves to a sibling when
 * its body can be sent again (the refusal goes back as it came when the sibling refuses the moved attempt before
 * sending it: {@link SiblingMove#keepingAnswer}). Only refusals of the gateway's own credential do either ({@link Refusals}): a refusal
 * of a request that chose its OpenAI organization or project ejects only on a 401 that reads as
 * {@code invalid_api_key} ({@link RefusalBody}), and its 429 cools nothing (OpenAI limits each account apart).
 */
final class RefusalActions {
  private static final Logger LOG = LoggerFactory.getLogger(RefusalActions.class);
  static final long MAX_COOLDOWN_MS = TimeUnit.HOURS.toMillis(1);

  private final Clock clock;
  private final GatewayEvents events;

  RefusalActions(Clock clock, GatewayEvents events) {
    this.clock = clock;
    this.events = events;
  }

  /** Acts on {@code reply}, a refusal of the attempt sent to {@code chosen}; only a refusal reads request headers. */
  Future<Reply> refused(Exchange exchange, DeploymentPool pool, DeploymentPool.Chosen chosen, Reply reply,
      SiblingMove move) {
    Set<String> own = pool.credentialHeaders(chosen.index());
    boolean clientCredential = Refusals.clientCredential(exchange.call().headers(), own);
    if (!clientCredential && Refusals.choseAccount(exchange.call().headers(), own, sentTo(pool, chosen))) {
      if (reply.status() != 401) {
        return Future.succeededFuture(reply);
      }
      return RefusalBody.read(reply, exchange.context().buffered())
          .compose(read -> decide(exchange, pool, chosen, read.reply(), !read.refusesKey(), move));
    }
    return decide(exchange, pool, chosen, reply, clientCredential, move);
  }

  /** The base URL the chosen deployment's calls go to: its own, or its target's. */
  private static URI sentTo(DeploymentPool pool, DeploymentPool.Chosen chosen) {
    URI own = chosen.deployment().baseUrl();
    return own != null ? own : pool.target().baseUrl();
  }

  /** Cools down or ejects the deployment for a refusal, unless it is the client's ({@code clientsOwn}). */
  private Future<Reply> decide(Exchange exchange, DeploymentPool pool, DeploymentPool.Chosen chosen, Reply reply,
      boolean clientsOwn, SiblingMove move) {
    DeploymentConfig deployment = chosen.deployment();
    if (reply.status() == 429) {
      if (!Refusals.coolsDown(clientsOwn)) {
        return Future.succeededFuture(reply);
      }
      long now = clock.epochMillis();
      long ms = RetryAfter.delayMs(reply.headers().get("Retry-After"), now)
          .orElse(TimeUnit.SECONDS.toMillis(pool.target().deploymentCooldownS()));
      return Future.succeededFuture(coolDown(exchange, pool, deployment, reply, now, ms));
    }
    String reason = Refusals.ejectionReason(reply.status(), pool.target().isLlm(),
        !pool.credentialHeaders(chosen.index()).isEmpty(), clientsOwn);
    if (reason != null && eject(pool, deployment, reason) && resendable(exchange)) {
      return move.keepingAnswer("refused", exchange, deployment.name(), reply, () -> {});
    }
    return Future.succeededFuture(reply);
  }

  /**
   * Cools {@code deployment} down for {@code ms} (at most an hour); the answer's Retry-After says when the request
   * can be tried again: the waits other deployments asked of it count.
   */
  private Reply coolDown(Exchange exchange, DeploymentPool pool, DeploymentConfig deployment, Reply reply, long now,
      long ms) {
    pool.coolDown(deployment, now + Math.min(ms, MAX_COOLDOWN_MS));
    events.deploymentCooledDown(pool.target().name(), deployment.name());
    long retryAfterS = pool.secondsUntilAvailable(exchange.tried(), now);
    return reply.withHeaders(reply.headers().with("Retry-After", Long.toString(retryAfterS)));
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
