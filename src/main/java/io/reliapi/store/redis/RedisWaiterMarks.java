package io.reliapi.store.redis;

import io.reliapi.store.IdempotencyScope;
import io.reliapi.time.Clock;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The requests of every instance marked waiting on idempotency keys ({@link
 * io.reliapi.store.IdempotencyStore#markWaiting}): one sorted set per key ({@link Keys#idempotencyWaiters}), a member
 * per waiter scored with its mark's end on its writer's clock. A mark Redis did not answer is sent again until it is
 * made, its waiter stops waiting or its end passes. A mark is removed when its waiter stops waiting (and again when
 * Redis makes it after that); one whose instance died no longer counts once its end passed, and Redis drops the set
 * once its last mark would end.
 */
final class RedisWaiterMarks {
  /** Marks waiter ARGV[1] until ARGV[2], dropping marks ended by ARGV[3] (now); the set lives ARGV[4] ms at least. */
  static final LuaScript MARK = LuaScript.of("""
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
      redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
      if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[4]) then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
      return 1
      """);

  /** Removes the mark of waiter ARGV[1]. */
  static final LuaScript UNMARK = LuaScript.of("""
      redis.call('ZREM', KEYS[1], ARGV[1])
      return 1
      """);

  /** Returns how many marks but waiter ARGV[2]'s end after ARGV[1] (now). */
  static final LuaScript COUNT = LuaScript.of("""
      local count = redis.call('ZCOUNT', KEYS[1], '(' .. ARGV[1], '+inf')
      local own = redis.call('ZSCORE', KEYS[1], ARGV[2])
      if own and tonumber(own) > tonumber(ARGV[1]) then count = count - 1 end
      return count
      """);

  private final RedisLink link;
  private final Clock clock;
  private final Resender resender;
  /** The marks not yet made nor given up on (their first sending got no answer), by waiter. */
  private final ConcurrentHashMap<String, Marking> unsettled = new ConcurrentHashMap<>();

  RedisWaiterMarks(RedisLink link, Clock clock, Resender resender) {
    this.link = link;
    this.clock = clock;
    this.resender = resender;
  }

  /**
   * Marks {@code waiter}; the future tells how the first sending went. A mark Redis did not answer is sent again
   * (through the {@link Resender}, until its end) while its waiter waits, since a waiter that waits unmarked may
   * see the stream it waits for stopped; one that Redis made late counts from then on.
   */
  Future<Void> mark(IdempotencyScope scope, String waiter, long forMs) {
    Marking marking = new Marking(scope, waiter, clock.epochMillis() + forMs);
    return marking.send().<Void>mapEmpty().recover(failure -> {
      unsettled.put(waiter, marking);
      resender.again(marking::sendUnlessSettled, marking.endMillis, failure)
          .onComplete(done -> unsettled.remove(waiter, marking));
      return Future.failedFuture(failure);
    });
  }

  Future<Void> unmark(IdempotencyScope scope, String waiter) {
    Marking marking = unsettled.remove(waiter);
    if (marking != null) {
      marking.stopped = true;
    }
    return link.eval(UNMARK, List.of(Keys.idempotencyWaiters(scope)), waiter).mapEmpty();
  }

  Future<Boolean> awaited(IdempotencyScope scope, String except) {
    return link.eval(COUNT, List.of(Keys.idempotencyWaiters(scope)), clock.epochMillis(), except)
        .map(reply -> reply.toLong() > 0);
  }

  /** One waiter's mark on its way into Redis. */
  private final class Marking {
    private final IdempotencyScope scope;
    private final String waiter;
    private final long endMillis;
    /** Redis holds the mark: no more sending. */
    private volatile boolean made;
    /** The waiter stopped waiting: no more sending, and a mark Redis makes after this is removed. */
    private volatile boolean stopped;

    private Marking(IdempotencyScope scope, String waiter, long endMillis) {
      this.scope = scope;
      this.waiter = waiter;
      this.endMillis = endMillis;
    }

    /** Sends the mark again unless it is made, its waiter stopped or its wait is over (a mark then counts no more). */
    private Future<Response> sendUnlessSettled() {
      return made || stopped || clock.epochMillis() >= endMillis ? Future.succeededFuture() : send();
    }

    private Future<Response> send() {
      long now = clock.epochMillis();
      return link.eval(MARK, List.of(Keys.idempotencyWaiters(scope)), fate -> fate.onComplete(this::answeredLate),
          waiter, endMillis, now, Math.max(1, endMillis - now)).onSuccess(answer -> made());
    }

    /** A sending the gateway gave up on was answered after all, or ended without an answer (it may have run). */
    private void answeredLate(AsyncResult<Response> late) {
      if (late.succeeded()) {
        made();
      } else if (stopped && !(late.cause() instanceof ErrorType)) {
        unmark(scope, waiter);
      }
    }

    /**
     * Redis made the mark. After its waiter stopped, it is removed after it: the waiter's own removal may have run
     * first, on another connection, and left it standing for the whole wait.
     */
    private void made() {
      made = true;
      if (stopped) {
        unmark(scope, waiter);
      }
    }
  }
}
