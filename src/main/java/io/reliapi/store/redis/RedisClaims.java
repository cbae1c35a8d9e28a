package io.reliapi.store.redis;

import io.reliapi.store.Claim;
import io.reliapi.store.ClaimRequest;
import io.reliapi.store.IdempotencyScope;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import io.vertx.redis.client.impl.types.ErrorType;
import java.util.function.BiFunction;

/**
 * Claims and take-overs of idempotency keys in Redis, one Lua script each. A claim whose caller got no answer
 * never executed, so when Redis made it anyway it is released as soon as Redis answers, and until then a new
 * claim of the key from this instance replaces it ({@link AbandonedClaims}).
 */
final class RedisClaims {
  private final RedisLink link;
  private final Clock clock;
  private final Resender resender;
  /** Releases a claim once, without sending it again: {@link #unanswered} resends it itself. */
  private final BiFunction<IdempotencyScope, String, Future<Boolean>> releaseOnce;
  private final AbandonedClaims abandoned = new AbandonedClaims();

  RedisClaims(RedisLink link, Clock clock, Resender resender,
      BiFunction<IdempotencyScope, String, Future<Boolean>> releaseOnce) {
    this.link = link;
    this.clock = clock;
    this.resender = resender;
    this.releaseOnce = releaseOnce;
  }

  /** Claims the key, or takes it over from {@code expiredOwner} (empty for a plain claim) whose lease ended. */
  Future<Claim> claim(ClaimRequest request, String expiredOwner, long expiredLeaseEnd) {
    long now = clock.epochMillis();
    String scope = request.scope().id();
    String replaceable = abandoned.tokenOf(scope, now);
    long keepMs = request.leaseMs() + Math.max(1, request.ttlMs());
    return link.evalAcknowledged(IdempotencyScripts.CLAIM, IdempotencyScripts.keys(request.scope()),
            fate -> unanswered(request, fate, now + keepMs), request.fingerprint(), request.token(), now,
            now + request.leaseMs(), keepMs, expiredOwner, replaceable, Math.max(1, request.ttlMs()),
            request.maxRecords(), expiredLeaseEnd)
        .map(reply -> {
          if (reply.type() != ResponseType.NUMBER) {
            return IdempotencyScripts.record(reply, now).<Claim>map(Claim.Existing::new)
                .orElseGet(() -> new Claim.Leader(request.token()));
          }
          long answer = reply.toLong();
          if (answer <= 0) {
            return new Claim.OverQuota(-answer);
          }
          if (!replaceable.isEmpty()) {
            abandoned.forget(scope, replaceable);
          }
          return new Claim.Leader(request.token());
        });
  }

  /**
   * Handles a claim whose caller got no answer, so never executed: once its fate is known, a claim Redis
   * made for it is released (waking its waiters); until then this instance may replace it.
   */
  private void unanswered(ClaimRequest request, Future<Response> fate, long keptUntilMillis) {
    String scope = request.scope().id();
    abandoned.add(scope, request.token(), keptUntilMillis);
    fate.onComplete(done -> {
      boolean notMade = done.succeeded()
          ? done.result().type() != ResponseType.NUMBER || done.result().toLong() != 1
          : done.cause() instanceof ErrorType;
      if (notMade) {
        abandoned.forget(scope, request.token());
        return;
      }
      resender.untilAnswered(() -> releaseOnce.apply(request.scope(), request.token()), keptUntilMillis)
          .onSuccess(released -> {
            if (released) {
              abandoned.forget(scope, request.token());
            }
          });
    });
  }
}
