package io.reliapi.policy.cache;

import io.reliapi.pipeline.CacheDirective;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads what a client asks of the cache (SPEC §3.3): request {@code Cache-Control: no-cache} or
 * {@code max-age=0} skips the read, {@code no-store} skips read and write, as does a {@code "cache": 0}
 * field; a positive field overrides the TTL, up to the target's own.
 */
public final class CacheDirectives {
  private CacheDirectives() {}

  public static CacheDirective of(List<String> cacheControl, Optional<Long> cacheField) {
    boolean skipRead = false;
    boolean skipWrite = false;
    for (String header : cacheControl) {
      for (String token : header.split(",")) {
        String directive = token.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        if (directive.equals("no-store")) {
          skipRead = true;
          skipWrite = true;
        } else if (directive.equals("no-cache") || directive.equals("max-age=0")) {
          skipRead = true;
        }
      }
    }
    Optional<Long> ttl = Optional.empty();
    if (cacheField.isPresent()) {
      if (cacheField.get() == 0) {
        skipRead = true;
        skipWrite = true;
      } else {
        ttl = cacheField;
      }
    }
    if (!skipRead && !skipWrite && ttl.isEmpty()) {
      return CacheDirective.normal();
    }
    return new CacheDirective(skipRead, skipWrite, ttl);
  }

  /**
   * Returns the TTL, in seconds, of what a request stores: the client's override when it asked for one,
   * never longer than the target's {@code ttl_s} — a client may keep an answer for less time, not more.
   */
  public static long ttlS(CacheDirective directive, long targetTtlS) {
    return Math.min(directive.ttlOverrideS().orElse(targetTtlS), targetTtlS);
  }
}
