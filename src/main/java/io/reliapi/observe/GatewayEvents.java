package io.reliapi.observe;

/**
 * What stages report as a request runs. Metrics and the access log listen here, so decision code never
 * touches a meter. Listeners are fast, never throw and never block.
 */
public interface GatewayEvents {

  /** An attempt on a target ended; {@code result} is success, http_4xx, http_5xx, net or timeout. */
  default void attempt(String target, String result) {}

  /** A request ended (its response was written, or the client went away). */
  default void requestFinished(CompletedRequest request) {}
}
