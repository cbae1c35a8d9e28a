package io.reliapi.store.redis;

import io.reliapi.config.RateLimitConfig;
import io.reliapi.store.RateLimiter;
import io.reliapi.store.TokenBucket;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import java.util.List;

/**
 * Token buckets in Redis, shared by every instance on it, so N instances together allow one bucket's
 * rate, not N times it. One Lua script per request mirrors {@link TokenBucket#take}.
 *
 * <p>Time is the gateway's clock (epoch milliseconds), passed to the script, not Redis' {@code TIME}:
 * every other time in the gateway comes from its injected clock, which tests drive, and instances run
 * NTP-synchronised clocks. A clock behind by δ never drains a bucket (time never runs backwards for it);
 * a clock ahead by δ refills it at most δ·rps tokens early.
 */
public final class RedisRateLimiter implements RateLimiter {
  /** ARGV: now, rps, burst, PEXPIRE ms. Returns {granted (1/0), retry after ms}. */
  static final LuaScript TAKE = LuaScript.of("""
      local now = tonumber(ARGV[1])
      local rps = tonumber(ARGV[2])
      local burst = tonumber(ARGV[3])
      local tokens = tonumber(redis.call('HGET', KEYS[1], 't'))
      local at = tonumber(redis.call('HGET', KEYS[1], 'a'))
      if tokens == nil or at == nil then
        tokens = burst
        at = now
      else
        tokens = math.min(burst, tokens + math.max(0, now - at) * rps / 1000)
        at = math.max(at, now)
      end
      local granted = 0
      local wait = 0
      if tokens >= 1 then
        tokens = tokens - 1
        granted = 1
      else
        wait = math.max(1, math.ceil((1 - tokens) * 1000 / rps))
      end
      redis.call('HSET', KEYS[1], 't', string.format('%.17g', tokens), 'a', string.format('%.17g', at))
      redis.call('PEXPIRE', KEYS[1], ARGV[4])
      return {granted, wait}
      """);

  private final RedisLink link;
  private final Clock clock;

  RedisRateLimiter(RedisLink link, Clock clock) {
    this.link = link;
    this.clock = clock;
  }

  @Override
  public Future<TokenBucket.Taken> acquire(String key, RateLimitConfig limit) {
    long now = clock.epochMillis();
    // An idle bucket is full again after its refill time; a little later it can go.
    long expireMs = TokenBucket.refillMs(limit.rps(), limit.burst()) + 1_000;
    return link.eval(TAKE, List.of(Keys.bucket(key)), now, limit.rps(), (long) limit.burst(), expireMs)
        .map(reply -> new TokenBucket.Taken(reply.get(0).toInteger() == 1, reply.get(1).toLong(), null));
  }
}
