package io.reliapi.store;

/**
 * A store that may be shared through Redis, with what stands in for it while Redis cannot be reached
 * (SPEC §7): the same kind of store in this instance's memory, used only when {@code degrade} is on
 * ({@code redis.on_unavailable: degrade}). Without Redis the local store is the only one.
 */
public record Guarded<S>(S shared, S local, boolean degrade) {

  /** Returns a store held in local memory only, which is never unavailable. */
  public static <S> Guarded<S> local(S store) {
    return new Guarded<>(store, store, false);
  }
}
