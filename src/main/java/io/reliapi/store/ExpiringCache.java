package io.reliapi.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.reliapi.time.Clock;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.ToLongFunction;

/**
 * A bounded in-memory map whose entries expire, each after its own TTL: Caffeine, weighed by the bytes an
 * entry holds, with time read from the gateway's {@link Clock} so tests can expire entries by advancing a
 * manual clock. Eviction work runs on the calling thread, in small amortised steps.
 */
final class ExpiringCache<V> {
  private final Cache<String, Timed<V>> cache;

  ExpiringCache(Clock clock, long maxBytes, ToLongFunction<V> weigher) {
    this(clock, maxBytes, weigher, (key, value) -> {});
  }

  /** A cache that tells {@code onRemoval} of every value that leaves it: expired, evicted or replaced. */
  ExpiringCache(Clock clock, long maxBytes, ToLongFunction<V> weigher, BiConsumer<String, V> onRemoval) {
    this.cache = Caffeine.newBuilder()
        .ticker(clock::nanoTime)
        .executor(Runnable::run)
        .removalListener((String key, Timed<V> timed, RemovalCause cause) -> onRemoval.accept(key, timed.value()))
        .maximumWeight(maxBytes)
        .weigher((String key, Timed<V> timed) ->
            (int) Math.min(Integer.MAX_VALUE, 2L * key.length() + 48 + weigher.applyAsLong(timed.value())))
        .expireAfter(Expiry.writing((String key, Timed<V> timed) -> Duration.ofMillis(timed.ttlMs())))
        .build();
  }

  /** Returns the live value under {@code key}, or null. */
  V get(String key) {
    Timed<V> timed = cache.getIfPresent(key);
    return timed == null ? null : timed.value();
  }

  void put(String key, V value, long ttlMs) {
    cache.put(key, new Timed<>(value, Math.max(1, ttlMs)));
  }

  /** Runs pending expirations and evictions now. */
  void cleanUp() {
    cache.cleanUp();
  }

  /** Returns the weight of the live entries after pending evictions ran, in bytes. */
  long weightedSize() {
    cache.cleanUp();
    return cache.policy().eviction().orElseThrow().weightedSize().orElse(0);
  }

  private record Timed<V>(V value, long ttlMs) {}
}
