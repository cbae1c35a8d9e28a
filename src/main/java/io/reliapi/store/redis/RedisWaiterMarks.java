package io.reliapi.store.redis;

import io.reliapi.store.IdempotencyScope;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import java.util.List;

/**
 * The requests of every instance marked waiting on idempotency keys ({@link
 * io.reliapi.store.IdempotencyStore#markWaiting}): one sorted set per key ({@link Keys#idempotencyWaiters}), a member
 * per waiter scored with its mark's end on its writer's clock. A mark is removed when its waiter stops waiting; one
 * whose instance died no longer counts once its end passed, and Redis drops the set once its last mark would end.
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

  RedisWaiterMarks(RedisLink link, Clock clock) {
    this.link = link;
    this.clock = clock;
  }

  Future<Void> mark(IdempotencyScope scope, String waiter, long forMs) {
    long now = clock.epochMillis();
    long keepMs = Math.max(1, forMs);
    return link.eval(MARK, List.of(Keys.idempotencyWaiters(scope)), fate -> unanswered(scope, waiter, fate), waiter,
        now + forMs, now, keepMs).mapEmpty();
  }

  /**
   * Handles a mark whose waiter got no answer, so waits unmarked: a mark Redis may still make is removed after it,
   * as the waiter's own removal may run first, on another connection, and leave it standing for the whole wait.
   */
  private void unanswered(IdempotencyScope scope, String waiter, Future<Response> fate) {
    fate.onComplete(done -> {
      if (done.succeeded() || !(done.cause() instanceof ErrorType)) {
        unmark(scope, waiter);
      }
    });
  }

  Future<Void> unmark(IdempotencyScope scope, String waiter) {
    return link.eval(UNMARK, List.of(Keys.idempotencyWaiters(scope)), waiter).mapEmpty();
  }

  Future<Boolean> awaited(IdempotencyScope scope, String except) {
    return link.eval(COUNT, List.of(Keys.idempotencyWaiters(scope)), clock.epochMillis(), except)
        .map(reply -> reply.toLong() > 0);
  }
}
