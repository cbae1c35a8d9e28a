package io.reliapi.upstream;

import java.util.HashMap;
import java.util.Map;

/**
 * The connection places of one event loop's upstream clients, one {@link PoolSlots} per client name
 * ({@link UpstreamClient#key}), kept for the life of the event loop: a client that a reload replaces hands its
 * places to its successor, which reconfigures them to its own pool size. A target that a reload removes keeps its
 * places, still counting its old calls, should it come back. Used on one event loop.
 */
public final class PoolPlaces {
  private final Map<String, PoolSlots> byClient = new HashMap<>();

  /** Returns the places of the client {@code key}, bounded from now on by {@code connections} and {@code maxWaiting}. */
  PoolSlots of(String key, int connections, int maxWaiting) {
    PoolSlots kept = byClient.get(key);
    if (kept == null) {
      PoolSlots made = new PoolSlots(connections, maxWaiting);
      byClient.put(key, made);
      return made;
    }
    kept.reconfigure(connections, maxWaiting);
    return kept;
  }
}
