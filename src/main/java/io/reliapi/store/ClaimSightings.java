package io.reliapi.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.reliapi.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * Since when this gateway instance has seen each idempotency claim in progress exactly as it is now (holder and lease
 * end), by its own monotonic clock, whichever request looked. A take-over needs a claim seen unrenewed for a whole
 * lease; duplicates that each wait less than a lease (a short deadline or coalescing bound) must add up to one, or a
 * dead holder's key would stay in progress until its record's TTL. Bounded: the least recently seen go first (a key
 * forgotten so only starts its watch again). Safe from any thread.
 */
public final class ClaimSightings {
  private static final int MAX_CLAIMS = 65_536;
  private final Cache<String, Sighting> byScope;
  private final Clock clock;

  public ClaimSightings(Clock clock) {
    this.clock = clock;
    this.byScope = Caffeine.newBuilder().executor(Runnable::run).maximumSize(MAX_CLAIMS).build();
  }

  /** Returns for how long, in ms, this instance has seen the claim of {@code scopeId} be {@code claim}. */
  public long unchangedForMs(String scopeId, IdempotencyRecord.InProgress claim) {
    long now = clock.nanoTime();
    Sighting sighting = byScope.asMap().compute(scopeId,
        (id, seen) -> seen != null && seen.claim().equals(claim) ? seen : new Sighting(claim, now));
    return TimeUnit.NANOSECONDS.toMillis(now - sighting.sinceNanos());
  }

  private record Sighting(IdempotencyRecord.InProgress claim, long sinceNanos) {}
}
