package io.reliapi.observe;

/**
 * What stages report as a request runs. Metrics and the access log listen here, so decision code never
 * touches a meter. Listeners are fast, never throw and never block.
 */
public interface GatewayEvents {

  /** An attempt on a target ended; {@code result} is success, http_4xx, http_5xx, net or timeout. */
  default void attempt(String target, String result) {}

  /**
   * An LLM attempt consumed tokens; {@code model} is already a bounded label (a known model or
   * {@code other}), {@code costUsd} 0 when the model has no price.
   */
  default void llmUsage(String target, String model, long promptTokens, long completionTokens, double costUsd) {}

  /** A budget rule acted on a request; {@code event} is soft_cap, hard_cap or exhausted. */
  default void budgetEvent(String target, String event) {}

  /** A request ended (its response was written, or the client went away). */
  default void requestFinished(CompletedRequest request) {}
}
