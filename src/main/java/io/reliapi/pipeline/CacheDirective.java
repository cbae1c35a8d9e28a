package io.reliapi.pipeline;

import java.util.Optional;

/**
 * What the client asked of the cache: skip the read ({@code no-cache}), skip read and write
 * ({@code no-store} or {@code "cache": 0}), or a TTL override in seconds.
 */
public record CacheDirective(boolean skipRead, boolean skipWrite, Optional<Long> ttlOverrideS) {
  private static final CacheDirective NORMAL = new CacheDirective(false, false, Optional.empty());

  public static CacheDirective normal() {
    return NORMAL;
  }
}
