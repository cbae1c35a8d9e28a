package io.reliapi.store.redis;

import io.reliapi.store.Claim;
import io.reliapi.store.IdempotencyRecord;
import io.reliapi.store.IdempotencyStore;
import io.reliapi.store.Outcome;
import io.reliapi.time.Clock;
import io.reliapi.time.Scheduler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Idempotency records in Redis, shared by every gateway instance on it (see {@link IdempotencyScripts}
 * for the layout). Every change is one Lua script, so claims, take-overs and completions are atomic across
 * instances. Completions and releases are announced on one pub/sub channel; each instance listens on a
 * connection of its own and wakes its local waiters of that key, which then read the record once.
 *
 * <p>Claims get a short lease ({@link #LEASE_MS}), which their holder renews while its request runs, so
 * the keys of an instance that died come free within one lease.
 */
public final class RedisIdempotencyStore implements IdempotencyStore {
  /** The longest lease granted at once: how soon the keys of a dead instance come free. */
  public static final long LEASE_MS = 10_000;
  static final String CHANNEL = Keys.PREFIX + "idem:signals";
  private static final char DONE = '1';
  private static final char RELEASED = '0';

  private final RedisLink link;
  private final Clock clock;
  private final Scheduler scheduler;
  private final long leaseMs;
  private final Map<String, Set<Promise<Optional<IdempotencyRecord>>>> waiters = new ConcurrentHashMap<>();
  private final Signals signals;

  RedisIdempotencyStore(RedisLink link, Clock clock, Scheduler scheduler, long leaseMs) {
    this.link = link;
    this.clock = clock;
    this.scheduler = scheduler;
    this.leaseMs = leaseMs;
    this.signals = new Signals(link, CHANNEL, this::signalled, this::recheckAll);
    link.onRecovery(this::recheckAll);
  }

  /** Starts listening for completions; the future completes once the first subscription is up. */
  Future<Void> start() {
    return signals.start();
  }

  Future<Void> close() {
    return signals.close();
  }

  @Override
  public long longestLeaseMs() {
    return leaseMs;
  }

  @Override
  public Future<Claim> claim(String scope, String fingerprint, long leaseMs, long ttlMs) {
    return takeOver(scope, "", fingerprint, leaseMs, ttlMs);
  }

  @Override
  public Future<Claim> takeOver(String scope, String expiredOwner, String fingerprint, long leaseMs, long ttlMs) {
    String owner = ownerToken();
    long now = clock.epochMillis();
    return link.eval(IdempotencyScripts.CLAIM, List.of(Keys.idempotency(scope)), fingerprint, owner, now,
            now + leaseMs, leaseMs + Math.max(1, ttlMs), expiredOwner)
        .map(reply -> reply.type() == ResponseType.NUMBER
            ? new Claim.Leader(owner)
            : recordOf(reply, now).<Claim>map(Claim.Existing::new).orElseGet(() -> new Claim.Leader(owner)));
  }

  @Override
  public Future<Boolean> renew(String scope, String owner, long leaseMs, long ttlMs) {
    long now = clock.epochMillis();
    return link.eval(IdempotencyScripts.RENEW, List.of(Keys.idempotency(scope)), owner, now + leaseMs,
        leaseMs + Math.max(1, ttlMs)).map(reply -> reply.toInteger() == 1);
  }

  @Override
  public Future<Boolean> complete(String scope, String owner, Outcome outcome, long ttlMs) {
    long ttl = Math.max(1, ttlMs);
    return link.eval(IdempotencyScripts.COMPLETE, List.of(Keys.idempotency(scope)), owner,
        clock.epochMillis() + ttl, ttl, Codec.outcome(outcome), CHANNEL, DONE + scope)
        .map(reply -> reply.toInteger() == 1);
  }

  @Override
  public Future<Boolean> release(String scope, String owner) {
    return link.eval(IdempotencyScripts.RELEASE, List.of(Keys.idempotency(scope)), owner, CHANNEL, RELEASED + scope)
        .map(reply -> reply.toInteger() == 1);
  }

  @Override
  public Future<Optional<IdempotencyRecord>> await(String scope, long timeoutMs) {
    Promise<Optional<IdempotencyRecord>> waiter = Promise.promise();
    // Registered before reading, so a completion between the read and the wait is not missed.
    waiters.computeIfAbsent(scope, k -> ConcurrentHashMap.newKeySet()).add(waiter);
    Scheduler.Cancellable timer = scheduler.schedule(Math.max(0, timeoutMs),
        () -> read(scope).onSuccess(waiter::tryComplete).onFailure(waiter::tryFail));
    waiter.future().onComplete(done -> {
      timer.cancel();
      waiters.computeIfPresent(scope, (k, set) -> {
        set.remove(waiter);
        return set.isEmpty() ? null : set;
      });
    });
    read(scope).onComplete(current -> {
      if (current.failed()) {
        waiter.tryFail(current.cause());
      } else if (current.result().isEmpty() || current.result().get() instanceof IdempotencyRecord.Done) {
        waiter.tryComplete(current.result());
      }
    });
    return waiter.future();
  }

  /** Handles a completion message: a released key wakes its waiters with nothing, a finished one with its record. */
  private void signalled(String message) {
    if (message.isEmpty()) {
      return;
    }
    String scope = message.substring(1);
    if (!waiters.containsKey(scope)) {
      return;
    }
    if (message.charAt(0) == RELEASED) {
      wake(scope, Optional.empty());
    } else {
      read(scope).onSuccess(record -> wake(scope, record));
    }
  }

  /** Re-reads every key waited on: completions announced while no subscription was up are not missed. */
  private void recheckAll() {
    for (String scope : waiters.keySet()) {
      read(scope).onSuccess(record -> {
        if (record.isEmpty() || record.get() instanceof IdempotencyRecord.Done) {
          wake(scope, record);
        }
      });
    }
  }

  private void wake(String scope, Optional<IdempotencyRecord> record) {
    Set<Promise<Optional<IdempotencyRecord>>> waiting = waiters.get(scope);
    if (waiting != null) {
      List.copyOf(waiting).forEach(waiter -> waiter.tryComplete(record));
    }
  }

  private Future<Optional<IdempotencyRecord>> read(String scope) {
    long now = clock.epochMillis();
    return link.eval(IdempotencyScripts.READ, List.of(Keys.idempotency(scope))).map(reply -> recordOf(reply, now));
  }

  /** Reads a flat field/value list; a finished record past its expiry counts as absent. */
  private static Optional<IdempotencyRecord> recordOf(Response flat, long now) {
    Map<String, Response> fields = new HashMap<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      fields.put(flat.get(i).toString(), flat.get(i + 1));
    }
    Response state = fields.get("s");
    if (state == null) {
      return Optional.empty();
    }
    String fingerprint = fields.get("fp").toString();
    if (state.toString().equals("r")) {
      return Optional.of(new IdempotencyRecord.InProgress(fingerprint, fields.get("o").toString(),
          fields.get("l").toLong()));
    }
    if (fields.get("e").toLong() <= now) {
      return Optional.empty();
    }
    Outcome outcome = Codec.outcome(Buffer.buffer(fields.get("v").toBytes()));
    // An outcome this version cannot read is never taken as a reason to execute again.
    return Optional.of(new IdempotencyRecord.Done(fingerprint, outcome == null ? new Outcome.Unknown() : outcome));
  }

  private static String ownerToken() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
  }
}
