package io.reliapi.store.redis;

import io.reliapi.store.CacheEntry;
import io.reliapi.store.ResponseCache;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.Optional;

/**
 * The response cache in Redis, shared by every instance on it: one string per entry, written with its
 * TTL ({@code SET PX}). Each entry also carries its expiry by the gateway's clock, which decides
 * freshness, so every instance (and a test's manual clock) agrees on it; Redis' own expiry frees the
 * memory. How much Redis may hold is Redis' {@code maxmemory}, not {@code server.cache_max_bytes}.
 */
public final class RedisResponseCache implements ResponseCache {
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

  @Override
  public Future<Void> put(String key, CacheEntry entry, long ttlMs) {
    long ttl = Math.max(1, ttlMs);
    return link.send(Request.cmd(Command.SET).arg(Keys.cache(key))
        .arg(Codec.cacheEntry(entry, clock.epochMillis() + ttl)).arg("PX").arg(ttl)).mapEmpty();
  }
}
