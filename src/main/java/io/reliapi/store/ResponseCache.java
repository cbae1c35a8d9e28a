package io.reliapi.store;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * The response cache shared by every event loop (and, with Redis, by every instance). Keys are derived by
 * the cache policy; the store only keeps entries until their TTL ends or memory runs short, so a miss is
 * always a valid answer. Each entry counts against the quota of the client that stored it; a client whose
 * entries fill its quota stores no more until some expire. Futures may complete on any thread.
 */
public interface ResponseCache {

  /** Returns the entry under {@code key}, or empty when there is none or it has expired. */
  Future<Optional<CacheEntry>> get(String key);

  /**
   * Stores {@code entry} under {@code key} for {@code ttlMs} milliseconds, replacing any entry there, if it
   * fits in what {@code quota}'s client may still fill (in bytes); else stores nothing.
   */
  Future<Void> put(String key, CacheEntry entry, long ttlMs, Quota quota);
}
