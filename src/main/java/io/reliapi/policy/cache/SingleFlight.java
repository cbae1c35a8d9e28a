package io.reliapi.policy.cache;

import io.reliapi.store.StoredReply;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets one request per cache key go upstream while identical requests wait for its answer (SPEC §3.3).
 * Shared by every event loop of one gateway; results complete on the leader's event loop, so waiters
 * must hop back to their own. Across several instances each makes at most one call per key.
 */
public final class SingleFlight {
  private final ConcurrentHashMap<String, Promise<Shared>> flights = new ConcurrentHashMap<>();

  /**
   * What the leader learned: the answer it stored, the extra headers it varies on and the key it was
   * stored under; {@code reply} is null when the answer could not be shared, so waiters go upstream.
   */
  public record Shared(StoredReply reply, List<String> varyHeaders, String storedUnder) {
    static final Shared NOTHING = new Shared(null, List.of(), null);
  }

  /** A place in a flight: the leader fetches and must {@link #finish}; others wait on {@link #result}. */
  public record Flight(String key, Promise<Shared> promise, boolean leads) {
    public Future<Shared> result() {
      return promise.future();
    }
  }

  /** Joins the flight for {@code key}, leading it when there is none. */
  public Flight join(String key) {
    Promise<Shared> mine = Promise.promise();
    Promise<Shared> theirs = flights.putIfAbsent(key, mine);
    return theirs == null ? new Flight(key, mine, true) : new Flight(key, theirs, false);
  }

  /** Ends a flight the caller leads, handing {@code shared} to its waiters; null shares nothing. */
  public void finish(Flight flight, Shared shared) {
    if (flight == null || !flight.leads()) {
      return;
    }
    flights.remove(flight.key(), flight.promise());
    flight.promise().tryComplete(shared == null ? Shared.NOTHING : shared);
  }

  /** Returns the number of flights in the air. */
  int inFlight() {
    return flights.size();
  }
}
