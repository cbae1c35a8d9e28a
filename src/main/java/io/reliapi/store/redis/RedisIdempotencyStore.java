package io.reliapi.store.redis;

import io.reliapi.store.Claim;
import io.reliapi.store.ClaimSightings;
import io.reliapi.store.ClaimRequest;
import io.reliapi.store.IdempotencyRecord;
import io.reliapi.store.IdempotencyScope;
import io.reliapi.store.IdempotencyStore;
import io.reliapi.store.Outcome;
import io.reliapi.store.ScopeHash;
import io.reliapi.time.Clock;
import io.reliapi.time.Scheduler;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idempotency records in Redis, shared by every gateway instance on it (see {@link IdempotencyScripts}
 * for the layout). Every change is one Lua script, so claims, take-overs and completions are atomic across
 * instances. Completions and releases are announced on one pub/sub channel; each instance listens on a
 * connection of its own and wakes its local waiters of that key, which then read the record once.
 *
 * <p>Claims get a short lease ({@link #LEASE_MS}), which their holder renews while its request runs, so
 * the keys of an instance that died come free within one lease.
 *
 * <p>A command whose answer is lost may still run on Redis. A claim whose caller got no answer never
 * executed, so when Redis made it anyway the store releases it as soon as Redis answers, and until then a
 * new claim of the key from this instance replaces it ({@link RedisClaims}). A settlement whose answer
 * was lost is sent again until Redis answers; holding the token, it can only ever settle its own claim.
 *
 * <p>Redis may lose a claim while its holder runs (a restart without persistence, FLUSHALL, a failover to a
 * replica the claim never reached, an evicting maxmemory policy). The holder's next renewal re-asserts it and its
 * completion stores the outcome on a key with no record; until that renewal (at most a third of a lease) a
 * duplicate finds the key free and executes again (docs/operations-redis.md, "When Redis fails").
 */
public final class RedisIdempotencyStore implements IdempotencyStore {
  private static final Logger LOG = LoggerFactory.getLogger(RedisIdempotencyStore.class);
  /** The longest lease granted at once: how soon the keys of a dead instance come free. */
  public static final long LEASE_MS = 10_000;

  private final RedisLink link;
  private final Clock clock;
  private final long leaseMs;
  private final CompletionWaiters waiters;
  private final RedisWaiterMarks waiterMarks;
  private final RedisClaims claims;
  private final ClaimSightings sightings;
  private final Resender resender;

  RedisIdempotencyStore(RedisLink link, Clock clock, Scheduler scheduler, long leaseMs) {
    this.link = link;
    this.clock = clock;
    this.leaseMs = leaseMs;
    this.sightings = new ClaimSightings(clock);
    this.resender = new Resender(scheduler, clock);
    this.waiters = new CompletionWaiters(link, clock, scheduler, leaseMs, this::read);
    this.waiterMarks = new RedisWaiterMarks(link, clock, resender);
    this.claims = new RedisClaims(link, clock, resender, (scope, owner) -> release(scope, owner, false));
  }

  /** Starts listening for completions; the future completes once the first subscription is up. */
  Future<Void> start() {
    return waiters.start();
  }

  Future<Void> close() {
    return waiters.close();
  }

  @Override
  public long longestLeaseMs() {
    return leaseMs;
  }

  /** Lease ends are written on the writing instance's wall clock, so other instances can read them. */
  @Override
  public long leaseLeftMs(IdempotencyRecord.InProgress running) {
    return running.leaseExpiresAtMillis() - clock.epochMillis();
  }

  @Override
  public long unrenewedForMs(IdempotencyScope scope, IdempotencyRecord.InProgress running) {
    return leaseMs - sightings.unchangedForMs(scope.id(), running);
  }

  @Override
  public Future<Claim> claim(ClaimRequest request) {
    return claims.claim(request, "", -1);
  }

  @Override
  public Future<Claim> takeOver(ClaimRequest request, IdempotencyRecord.InProgress expired) {
    return claims.claim(request, expired.owner(), expired.leaseExpiresAtMillis());
  }

  /** A claim Redis lost while its holder ran is re-asserted by the holder here (see {@link IdempotencyScripts#RENEW}). */
  @Override
  public Future<Boolean> renew(IdempotencyScope scope, String owner, String fingerprint, long leaseMs, long ttlMs,
      long reassertUntilMillis) {
    long now = clock.epochMillis();
    long keepMs = leaseMs + Math.max(1, ttlMs);
    return link.eval(IdempotencyScripts.RENEW, IdempotencyScripts.keys(scope), owner, now + leaseMs, keepMs,
            now + keepMs, fingerprint, now, reassertUntilMillis)
        .map(reply -> switch (reply.toInteger()) {
          case 1 -> true;
          case 2 -> {
            LOG.warn("idempotency claim {} was missing from Redis while its request ran (restart, flush, failover or "
                + "eviction); its holder re-asserted it", ScopeHash.of(scope));
            yield true;
          }
          case 3 -> {
            LOG.warn("idempotency claim {} was missing from Redis more than a lease after its holder last renewed it; "
                + "not re-asserted", ScopeHash.of(scope));
            yield false;
          }
          default -> false;
        });
  }

  @Override
  public Future<Boolean> complete(IdempotencyScope scope, String owner, String fingerprint, Outcome outcome,
      long ttlMs, long reassertUntilMillis) {
    long ttl = Math.max(1, ttlMs);
    Buffer encoded = Codec.outcome(outcome);
    String message = CompletionWaiters.DONE + Keys.idempotency(scope);
    Supplier<Future<Boolean>> command = () -> {
      long now = clock.epochMillis();
      return link.eval(IdempotencyScripts.COMPLETE, IdempotencyScripts.keys(scope), owner, now + ttl, ttl, encoded,
              waiters.channel(), message, fingerprint, now, reassertUntilMillis)
          .map(reply -> {
            if (reply.toInteger() == 2) {
              LOG.warn("the outcome of idempotency claim {} was dropped: its key was missing from Redis more than a "
                  + "lease after its holder last renewed it", ScopeHash.of(scope));
            }
            return reply.toInteger() == 1;
          });
    };
    return settle(command);
  }

  @Override
  public Future<Boolean> release(IdempotencyScope scope, String owner) {
    return release(scope, owner, true);
  }

  private Future<Boolean> release(IdempotencyScope scope, String owner, boolean resend) {
    Supplier<Future<Boolean>> command = () -> link.eval(IdempotencyScripts.RELEASE, IdempotencyScripts.keys(scope),
            owner, waiters.channel(), CompletionWaiters.RELEASED + Keys.idempotency(scope), leaseMs)
        .map(reply -> reply.toInteger() == 1);
    return resend ? settle(command) : command.get();
  }

  /**
   * Sends a settlement; if its answer is lost, it is sent again in the background until Redis answers
   * (it holds the claim's token, so it can only settle that claim, once). The future completes with the answer
   * that came, perhaps to a resend: a completion dropped then (the key another's, or lost past the lease) is a
   * lost claim its holder must still report; it fails only once the resending gives up.
   */
  private Future<Boolean> settle(Supplier<Future<Boolean>> command) {
    return resender.untilAnswered(command, clock.epochMillis() + Resender.RESEND_FOR_MS);
  }

  @Override
  public Future<Optional<IdempotencyRecord>> await(IdempotencyScope scope, long timeoutMs, Future<?> stop) {
    return waiters.await(Keys.idempotency(scope), timeoutMs, stop);
  }

  @Override
  public int waitingCount() {
    return waiters.waiting();
  }

  @Override
  public Future<Void> markWaiting(IdempotencyScope scope, String waiter, long forMs) {
    return waiterMarks.mark(scope, waiter, forMs);
  }

  @Override
  public Future<Void> unmarkWaiting(IdempotencyScope scope, String waiter) {
    return waiterMarks.unmark(scope, waiter);
  }

  @Override
  public Future<Boolean> awaited(IdempotencyScope scope, String except) {
    return waiterMarks.awaited(scope, except);
  }

  private Future<CompletionWaiters.KeyRead> read(String recordKey) {
    long now = clock.epochMillis();
    return link.eval(IdempotencyScripts.READ, List.of(recordKey))
        .map(reply -> new CompletionWaiters.KeyRead(IdempotencyScripts.record(reply, now),
            IdempotencyScripts.released(reply)));
  }
}
