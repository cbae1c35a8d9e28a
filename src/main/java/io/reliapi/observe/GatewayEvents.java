package io.reliapi.observe;

import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * What stages report as a request runs. Metrics and the access log listen here, so decision code never
 * touches a meter. Listeners are fast, never throw and never block.
 */
public interface GatewayEvents {

  /**
   * An attempt on a target ended; {@code deployment} is the target's deployment it went to (null for a target
   * without deployments), {@code result} success, http_4xx, http_5xx, net, timeout or one of the results
   * that blame no upstream.
   */
  default void attempt(String target, String deployment, String result) {}

  /**
   * A deployment was taken out of service until reload or restart; {@code reason} is unauthorized,
   * payment_required or forbidden (its credential was refused), or consecutive_failures, failure_rate or
   * slow_calls (its breaker opened).
   */
  default void deploymentEjected(String target, String deployment, String reason) {}

  /** A deployment answered 429 and cools down. */
  default void deploymentCooledDown(String target, String deployment) {}

  /**
   * An attempt on a pooled target moved to a sibling deployment as the same attempt; {@code reason} says why:
   * overloaded (a 503 or 529 with Retry-After), refused (a credential refusal ejected the deployment),
   * circuit_open or pool_full.
   */
  default void deploymentMoved(String target, String reason) {}

  /** A hedged attempt was sent on {@code target}; {@code outcome} says whose answer won: primary_won or hedge_won. */
  default void hedge(String target, String outcome) {}

  /** A cache lookup for {@code target} was answered from the cache. */
  default void cacheHit(String target) {}

  /** A cache lookup for {@code target} found nothing usable, so the request goes upstream. */
  default void cacheMiss(String target) {}

  /** A request to {@code target} was answered with the stored outcome of its idempotency key. */
  default void idempotentReplay(String target) {}

  /**
   * A request to {@code target} that held an idempotency key found it held or finished by another request: the
   * shared store lost the claim meanwhile (restart, flush, failover), and the key's request executed twice.
   */
  default void idempotencyClaimLost(String target) {}

  /** A request to {@code target} waited for an identical request in flight and took its answer. */
  default void coalesced(String target) {}

  /**
   * An LLM attempt consumed tokens; {@code model} is already a bounded label (a known model or
   * {@code other}), {@code costUsd} 0 when the model has no price.
   */
  default void llmUsage(String target, String model, long promptTokens, long completionTokens, double costUsd) {}

  /**
   * The details of the usage {@link #llmUsage} reported: prompt tokens read from and written to the provider's
   * prompt cache, completion tokens spent on reasoning, and the audio tokens of the prompt and of the completion
   * (each a part of those totals, not added to them).
   */
  default void llmTokenDetails(String target, String model, long cacheReadTokens, long cacheWriteTokens,
      long reasoningTokens, long audioPromptTokens, long audioCompletionTokens) {}

  /**
   * A budget rule acted on a request; {@code event} is soft_cap, hard_cap, exhausted, unpriced_tool or
   * unpriced_tier.
   */
  default void budgetEvent(String target, String event) {}

  /** A request ended (its response was written, or the client went away). */
  default void requestFinished(CompletedRequest request) {}

  /** A retry on {@code target} is starting; {@code errorClass} (429, 5xx, net, timeout) is why. */
  default void retry(String target, String errorClass) {}

  /**
   * A stream {@code target} broke after its commit point is being continued ({@code llm.stream_resume});
   * {@code errorClass} (429, 5xx, net) is why.
   */
  default void streamResumed(String target, String errorClass) {}

  /** The retry budget of {@code target} refused a retry; the request ended with its last outcome. */
  default void retryBudgetExhausted(String target) {}

  /**
   * A target's concurrency limiter exists; the suppliers read its limit, the attempts in flight and the
   * attempts queued now.
   */
  default void concurrencyLimiterCreated(String target, IntSupplier limit, IntSupplier inFlight, IntSupplier queued) {}

  /** An attempt on {@code target} of a client of {@code priority} (interactive, batch) joined the queue. */
  default void queued(String target, String priority) {}

  /**
   * An attempt on {@code target} was shed with 503 OVERLOADED; {@code reason} is queue_full, displaced,
   * queue_timeout or deadline.
   */
  default void shed(String target, String priority, String reason) {}

  /**
   * An LLM attempt on {@code target} was refused by a request or token limit: {@code limit} is client or
   * target, {@code kind} rpm or tpm.
   */
  default void llmLimitRefused(String target, String limit, String kind) {}

  /**
   * A target's circuit breaker (a deployment's, when {@code deployment} is not null) exists; {@code state} reads
   * its state now: closed, open or half_open.
   */
  default void circuitCreated(String target, String deployment, Supplier<String> state) {}

  /** A target's (or a deployment's) circuit breaker moved between the states closed, open and half_open. */
  default void circuitTransition(String target, String deployment, String from, String to) {}

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
