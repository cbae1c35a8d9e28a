package io.reliapi.store.redis;

import io.reliapi.store.MinuteWindow;
import io.reliapi.store.UsageLimit;
import io.reliapi.store.UsageLimiter;
import io.reliapi.store.UsageReservation;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Request and token limits in Redis, shared by every instance on it, so N instances together hold one limit,
 * not N. Each limit is one hash ({@code reliapi:usage:<owner>}) with a field per second of the last minute
 * and kind ({@code c:<second>} calls, {@code t:<second>} tokens). A reservation checks every limit and counts
 * on all of them in one Lua script that mirrors {@link MinuteWindow}; time is the gateway's clock, passed
 * in, as for the rate limiter.
 */
public final class RedisUsageLimiter implements UsageLimiter {
  /**
   * ARGV[1]: now (ms), ARGV[2]: tokens; then per key its rpm and tpm (0 = no limit). Returns {0} when counted
   * on every key, else {index of the refusing key, kind, retry after ms, 1 when it never fits}.
   */
  static final LuaScript RESERVE = LuaScript.of("""
      local now = tonumber(ARGV[1])
      local amount = tonumber(ARGV[2])
      local second = math.floor(now / 1000)
      local oldest = second - 59
      local function wait(entries, used, need, limit)
        if need > limit then return 60000 end
        table.sort(entries, function(a, b) return a[1] < b[1] end)
        for _, e in ipairs(entries) do
          used = used - e[2]
          if used + need <= limit then return math.max(1, (e[1] + 60) * 1000 - now) end
        end
        return 60000
      end
      for i, key in ipairs(KEYS) do
        local rpm = tonumber(ARGV[1 + 2 * i])
        local tpm = tonumber(ARGV[2 + 2 * i])
        local flat = redis.call('HGETALL', key)
        local calls, tokens, usedCalls, usedTokens = {}, {}, 0, 0
        for j = 1, #flat, 2 do
          local s = tonumber(string.sub(flat[j], 3))
          local v = tonumber(flat[j + 1])
          if s < oldest then
            redis.call('HDEL', key, flat[j])
          elseif string.sub(flat[j], 1, 1) == 'c' then
            usedCalls = usedCalls + v
            calls[#calls + 1] = {s, v}
          else
            usedTokens = usedTokens + v
            tokens[#tokens + 1] = {s, v}
          end
        end
        if rpm > 0 and usedCalls + 1 > rpm then
          return {i, 'rpm', wait(calls, usedCalls, 1, rpm), 0}
        end
        if tpm > 0 and usedTokens + amount > tpm then
          return {i, 'tpm', wait(tokens, usedTokens, amount, tpm), amount > tpm and 1 or 0}
        end
      end
      for _, key in ipairs(KEYS) do
        redis.call('HINCRBY', key, 'c:' .. second, 1)
        redis.call('HINCRBY', key, 't:' .. second, amount)
        redis.call('PEXPIRE', key, 61000)
      end
      return {0}
      """);

  /** ARGV: the second, calls to add, tokens to add; a second that left the window (field gone) is skipped. */
  static final LuaScript ADJUST = LuaScript.of("""
      for _, key in ipairs(KEYS) do
        if redis.call('HEXISTS', key, 't:' .. ARGV[1]) == 1 then
          redis.call('HINCRBY', key, 'c:' .. ARGV[1], ARGV[2])
          redis.call('HINCRBY', key, 't:' .. ARGV[1], ARGV[3])
        end
      end
      return 0
      """);

  private final RedisLink link;
  private final Clock clock;

  RedisUsageLimiter(RedisLink link, Clock clock) {
    this.link = link;
    this.clock = clock;
  }

  @Override
  public Future<UsageReservation> reserve(List<UsageLimit> limits, long tokens) {
    long now = clock.epochMillis();
    List<Object> args = new ArrayList<>();
    args.add(now);
    args.add(tokens);
    for (UsageLimit limit : limits) {
      args.add(limit.rpm());
      args.add(limit.tpm());
    }
    List<String> keys = limits.stream().map(l -> Keys.usage(l.name())).toList();
    return link.eval(RESERVE, keys, args.toArray()).map(reply -> {
      int refused = reply.get(0).toInteger();
      if (refused == 0) {
        return new UsageReservation.Granted(limits.stream().map(UsageLimit::name).toList(),
            Math.floorDiv(now, 1000), tokens);
      }
      return new UsageReservation.Refused(limits.get(refused - 1).name(), reply.get(1).toString(),
          reply.get(2).toLong(), reply.get(3).toInteger() == 1);
    });
  }

  @Override
  public Future<Void> settle(UsageReservation.Granted reservation, long actualTokens) {
    return adjust(reservation, 0, actualTokens - reservation.tokens());
  }

  @Override
  public Future<Void> release(UsageReservation.Granted reservation) {
    return adjust(reservation, -1, -reservation.tokens());
  }

  private Future<Void> adjust(UsageReservation.Granted reservation, long calls, long tokens) {
    if (calls == 0 && tokens == 0) {
      return Future.succeededFuture();
    }
    List<String> keys = reservation.names().stream().map(Keys::usage).toList();
    return link.eval(ADJUST, keys, reservation.epochSecond(), calls, tokens).mapEmpty();
  }
}
