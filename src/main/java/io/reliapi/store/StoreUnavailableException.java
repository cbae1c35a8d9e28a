package io.reliapi.store;

/**
 * Says that the shared store (Redis) did not answer in time, so a store operation has no result. What a
 * request does about it is decided above the store (SPEC §7): a cache counts it as a miss; guarantees
 * fail closed or run on local state. Stackless: an outage is an expected condition, not a bug.
 */
public final class StoreUnavailableException extends RuntimeException {

  public StoreUnavailableException(String message) {
    super(message, null, false, false);
  }
}
