package io.reliapi.store.redis;

import io.reliapi.store.CacheEntry;
import io.reliapi.store.Quota;
import io.reliapi.store.ResponseCache;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.List;
import java.util.Optional;

/**
 * The response cache in Redis, shared by every instance on it: one string per entry, written with its
 * TTL ({@code SET PX}). Each entry also carries its expiry by the gateway's clock, which decides
 * freshness, so every instance (and a test's manual clock) agrees on it; Redis' own expiry frees the
 * memory. How much Redis may hold is Redis' {@code maxmemory}, not {@code server.cache_max_bytes}; how
 * much of it one client may fill is its quota, counted atomically before each write.
 */
public final class RedisResponseCache implements ResponseCache {
  /**
   * Makes room for an entry in its client's quota. KEYS: the client's entries by when they end (sorted set),
   * their sizes and the sum under field {@code #} (hash), both under the client's hash tag. ARGV: the entry's
   * key, its TTL ms, now, its size, the client's quota in bytes. Entries whose time has passed stop counting
   * first (at most 256 per write, the rest on later writes); an entry the client replaces counts once.
   * Returns 1 when the entry is counted (the caller then stores it), 0 when the quota has no room.
   */
  static final LuaScript COUNT = LuaScript.of("""
      local now = tonumber(ARGV[3])
      local size = tonumber(ARGV[4])
      local total = tonumber(redis.call('HGET', KEYS[2], '#') or '0')
      for _, gone in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 256)) do
        total = total - tonumber(redis.call('HGET', KEYS[2], gone) or '0')
        redis.call('HDEL', KEYS[2], gone)
        redis.call('ZREM', KEYS[1], gone)
      end
      local previous = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
      if total - previous + size > tonumber(ARGV[5]) then
        redis.call('HSET', KEYS[2], '#', total)
        return 0
      end
      local ttl = tonumber(ARGV[2])
      redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
      redis.call('HSET', KEYS[2], ARGV[1], size, '#', total - previous + size)
      for i = 1, 2 do
        if redis.call('PTTL', KEYS[i]) < ttl then
          redis.call('PEXPIRE', KEYS[i], ttl)
        end
      end
      return 1
      """);

  private final RedisLink link;
  private final Clock clock;

  RedisResponseCache(RedisLink link, Clock clock) {
    this.link = link;
    this.clock = clock;
  }

  @Override
  public Future<Optional<CacheEntry>> get(String key) {
    return link.send(Request.cmd(Command.GET).arg(Keys.cache(key))).map(value -> value == null
        ? Optional.empty()
        : Optional.ofNullable(Codec.cacheEntry(Buffer.buffer(value.toBytes()), clock.epochMillis())));
  }

  /**
   * Counts the entry in its client's quota, then stores it with its TTL ({@code SET PX}): two commands, as
   * the entry and the client's count live in different slots of a cluster (a shared entry is read by every
   * client, so it cannot carry the tag of the one that stored it). Both run after the answer went out. An
   * entry counted but not stored (Redis failed in between) holds its bytes of the quota until its TTL ends.
   */
  @Override
  public Future<Void> put(String key, CacheEntry entry, long ttlMs, Quota quota) {
    long ttl = Math.max(1, ttlMs);
    long now = clock.epochMillis();
    String cacheKey = Keys.cache(key);
    Buffer encoded = Codec.cacheEntry(entry, now + ttl);
    return link.eval(COUNT, List.of(Keys.cacheCount(quota.client()), Keys.cacheBytes(quota.client())),
            cacheKey, ttl, now, (long) encoded.length() + cacheKey.length(), quota.limit())
        .compose(counted -> counted.toInteger() == 1
            ? link.send(Request.cmd(Command.SET).arg(cacheKey).arg(encoded).arg("PX").arg(ttl))
            : Future.succeededFuture())
        .mapEmpty();
  }
}
