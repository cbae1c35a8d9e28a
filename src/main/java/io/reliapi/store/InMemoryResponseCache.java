package io.reliapi.store;

import io.reliapi.time.Clock;
import io.vertx.core.Future;
import java.util.Optional;

/** The response cache of one gateway instance: bounded by bytes, entries expire after their TTL. */
public final class InMemoryResponseCache implements ResponseCache {
  private final ExpiringCache<CacheEntry> entries;

  public InMemoryResponseCache(Clock clock, long maxBytes) {
    this.entries = new ExpiringCache<>(clock, maxBytes, CacheEntry::weight);
  }

  @Override
  public Future<Optional<CacheEntry>> get(String key) {
    return Future.succeededFuture(Optional.ofNullable(entries.get(key)));
  }

  @Override
  public Future<Void> put(String key, CacheEntry entry, long ttlMs) {
    entries.put(key, entry, ttlMs);
    return Future.succeededFuture();
  }

  /** Returns the bytes the live entries are estimated to hold. */
  public long weightedSize() {
    return entries.weightedSize();
  }
}
