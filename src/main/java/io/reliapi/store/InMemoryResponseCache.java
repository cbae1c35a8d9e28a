package io.reliapi.store;

import io.reliapi.time.Clock;
import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The response cache of one gateway instance: bounded by bytes, entries expire after their TTL. Each entry
 * is charged to the client that stored it until it leaves the cache (expired, evicted or replaced); a put
 * that would take a client past its quota stores nothing.
 */
public final class InMemoryResponseCache implements ResponseCache {
  private final ExpiringCache<Owned> entries;
  private final Map<String, AtomicLong> used = new ConcurrentHashMap<>();

  public InMemoryResponseCache(Clock clock, long maxBytes) {
    this.entries = new ExpiringCache<>(clock, maxBytes, owned -> owned.entry().weight(),
        (key, owned) -> used(owned.client()).addAndGet(-owned.entry().weight()));
  }

  @Override
  public Future<Optional<CacheEntry>> get(String key) {
    return Future.succeededFuture(Optional.ofNullable(entries.get(key)).map(Owned::entry));
  }

  @Override
  public Future<Void> put(String key, CacheEntry entry, long ttlMs, Quota quota) {
    long weight = entry.weight();
    AtomicLong charged = used(quota.client());
    if (!charge(charged, weight, quota.limit())) {
      // Expired entries still charged are let go first, then the client gets one more chance.
      entries.cleanUp();
      if (!charge(charged, weight, quota.limit())) {
        return Future.succeededFuture();
      }
    }
    entries.put(key, new Owned(entry, quota.client()), ttlMs);
    return Future.succeededFuture();
  }

  /** Returns the bytes the live entries are estimated to hold. */
  public long weightedSize() {
    return entries.weightedSize();
  }

  /** Returns the bytes charged to {@code client} now. */
  public long usedBy(String client) {
    entries.cleanUp();
    return used(client).get();
  }

  private AtomicLong used(String client) {
    return used.computeIfAbsent(client, c -> new AtomicLong());
  }

  private static boolean charge(AtomicLong charged, long weight, long limit) {
    long before;
    do {
      before = charged.get();
      if (before + weight > limit) {
        return false;
      }
    } while (!charged.compareAndSet(before, before + weight));
    return true;
  }

  /** A cached entry and the client it is charged to. */
  private record Owned(CacheEntry entry, String client) {}
}
