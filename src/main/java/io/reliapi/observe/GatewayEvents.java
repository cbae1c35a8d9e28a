package io.reliapi.observe;

import java.util.function.Supplier;

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

  /**
   * An LLM attempt consumed tokens; {@code model} is already a bounded label (a known model or
   * {@code other}), {@code costUsd} 0 when the model has no price.
   */
  default void llmUsage(String target, String model, long promptTokens, long completionTokens, double costUsd) {}

  /**
   * The details of the usage {@link #llmUsage} reported: prompt tokens read from and written to the provider's
   * prompt cache, and completion tokens spent on reasoning (each a part of those totals, not added to them).
   */
  default void llmTokenDetails(String target, String model, long cacheReadTokens, long cacheWriteTokens,
      long reasoningTokens) {}

  /** A budget rule acted on a request; {@code event} is soft_cap, hard_cap or exhausted. */
  default void budgetEvent(String target, String event) {}

  /** A request ended (its response was written, or the client went away). */
  default void requestFinished(CompletedRequest request) {}

  /** A retry on {@code target} is starting; {@code errorClass} (429, 5xx, net, timeout) is why. */
  default void retry(String target, String errorClass) {}

  /** A target's circuit breaker exists; {@code state} reads its state now: closed, open or half_open. */
  default void circuitCreated(String target, Supplier<String> state) {}

  /** A target's circuit breaker moved between the states closed, open and half_open. */
  default void circuitTransition(String target, String from, String to) {}

  /** A request left target {@code from} for the next target of its fallback chain, {@code to}. */
  default void fallback(String from, String to) {}

  /** A config reload ended: {@code result} is reloaded, unchanged or refused. */
  default void configReload(String result) {}

  /** Sending {@code spans} finished spans to the trace collector failed; they are lost. */
  default void telemetryExportFailed(int spans) {}

  /**
   * Something failed that the gateway did not expect (a bug): {@code step} is the pipeline stage's simple
   * class name or a route step such as {@code ProxyHttpRoute.reply}, a bounded set. The request is
   * answered {@code INTERNAL_ERROR}. Listeners must never write the failure's message or stack trace.
   */
  default void internalError(String step, String requestId, Throwable failure) {}
}
