package io.reliapi.observe;

/**
 * What stages report as a request runs. Metrics and the access log listen here, so decision code never
 * touches a meter. Listeners are fast, never throw and never block.
 */
public interface GatewayEvents {

  /** An attempt on a target ended; {@code result} is success, http_4xx, http_5xx, net or timeout. */
  default void attempt(String target, String result) {}

  /** A cache lookup for {@code target} was answered from the cache. */
  default void cacheHit(String target) {}

  /** A cache lookup for {@code target} found nothing usable, so the request goes upstream. */
  default void cacheMiss(String target) {}

  /** A request to {@code target} was answered with the stored outcome of its idempotency key. */
  default void idempotentReplay(String target) {}

  /** A request to {@code target} waited for an identical request in flight and took its answer. */
  default void coalesced(String target) {}

  /** A request ended (its response was written, or the client went away). */
  default void requestFinished(CompletedRequest request) {}
}
