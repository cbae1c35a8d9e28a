package io.reliapi.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The Prometheus metrics (SPEC §6); the only user of Micrometer. Meters are looked up once per label
 * combination and cached ({@link MeterCache}; the meters read at each scrape are {@link StateGauges}), and every
 * label value comes from a bounded set (configured target and client names, error codes, fixed words), never from
 * request data. The {@code deployment} label holds a configured
 * deployment name, or is empty for a target without deployments (Prometheus reads an empty label as absent).
 */
public final class Metrics implements GatewayEvents {
  static final String NONE = "none";
  private static final Duration[] BUCKETS = {
      Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
      Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final MeterCache meters = new MeterCache(registry);
  private final StateGauges gauges = new StateGauges(registry);

  /** Returns the Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void attempt(String target, String deployment, String result) {
    counter("reliapi_upstream_attempts", "target", target, "deployment", label(deployment), "result", result)
        .increment();
  }

  @Override
  public void deploymentEjected(String target, String deployment, String reason) {
    counter("reliapi_deployment_ejections", "target", target, "deployment", deployment, "reason", reason).increment();
  }

  @Override
  public void deploymentCooledDown(String target, String deployment) {
    counter("reliapi_deployment_cooldowns", "target", target, "deployment", deployment).increment();
  }

  @Override
  public void deploymentMoved(String target, String reason) {
    counter("reliapi_deployment_moves", "target", target, "reason", reason).increment();
  }

  @Override
  public void hedge(String target, String outcome) {
    counter("reliapi_hedges", "target", target, "outcome", outcome).increment();
  }

  @Override
  public void cacheHit(String target) {
    counter("reliapi_cache_hits", "target", target).increment();
  }

  @Override
  public void cacheMiss(String target) {
    counter("reliapi_cache_misses", "target", target).increment();
  }

  @Override
  public void idempotentReplay(String target) {
    counter("reliapi_idempotent_replays", "target", target).increment();
  }

  @Override
  public void idempotencyClaimLost(String target) {
    counter("reliapi_idempotency_claims_lost", "target", target).increment();
  }

  @Override
  public void coalesced(String target) {
    counter("reliapi_coalesced_requests", "target", target).increment();
  }

  @Override
  public void llmUsage(String target, String model, long promptTokens, long completionTokens, double costUsd) {
    counter("reliapi_llm_tokens", "target", target, "model", model, "type", "prompt").increment(promptTokens);
    counter("reliapi_llm_tokens", "target", target, "model", model, "type", "completion").increment(completionTokens);
    counter("reliapi_llm_cost_usd", "target", target, "model", model).increment(costUsd);
  }

  /** Counts the details apart, only when there are some, so targets that never cache add no series. */
  @Override
  public void llmTokenDetails(String target, String model, long cacheReadTokens, long cacheWriteTokens,
      long reasoningTokens, long audioPromptTokens, long audioCompletionTokens) {
    details(target, model, "cache_read", cacheReadTokens);
    details(target, model, "cache_write", cacheWriteTokens);
    details(target, model, "reasoning", reasoningTokens);
    details(target, model, "audio_prompt", audioPromptTokens);
    details(target, model, "audio_completion", audioCompletionTokens);
  }

  private void details(String target, String model, String type, long tokens) {
    if (tokens > 0) {
      counter("reliapi_llm_tokens", "target", target, "model", model, "type", type).increment(tokens);
    }
  }

  @Override
  public void budgetEvent(String target, String event) {
    counter("reliapi_budget_events", "target", target, "event", event).increment();
  }

  @Override
  public void requestFinished(CompletedRequest r) {
    String target = r.target() == null ? NONE : r.target();
    String kind = r.route().kind();
    counter("reliapi_requests", "target", target, "kind", kind, "outcome", r.outcome()).increment();
    meters.timer("reliapi_request_duration", "Time from request arrival to the end of the response", BUCKETS,
        "target", target, "kind", kind).record(Duration.ofNanos(r.durationNanos()));
    if (r.errorCode() != null) {
      counter("reliapi_errors", "target", target, "code", r.errorCode()).increment();
    }
    if (r.trace() != null && r.trace().degraded()) {
      counter("reliapi_degraded_requests", "target", target).increment();
    }
  }

  @Override
  public void retry(String target, String errorClass) {
    counter("reliapi_retries", "target", target, "class", errorClass).increment();
  }

  @Override
  public void streamResumed(String target, String errorClass) {
    counter("reliapi_llm_stream_resumes", "target", target, "class", errorClass).increment();
  }

  @Override
  public void retryBudgetExhausted(String target) {
    counter("reliapi_retry_budget_exhausted", "target", target).increment();
  }

  @Override
  public void concurrencyLimiterCreated(String target, IntSupplier limit, IntSupplier inFlight, IntSupplier queued) {
    // A reload may replace a target's limiter: the gauges, registered once, read the newest one.
    gauges.concurrencyLimiter(target, limit, inFlight, queued);
  }

  /**
   * Registers the process-wide limits' meters, read at each scrape: bytes buffered for requests in flight and their
   * limit, requests shed for want of that memory, client connections open and connections refused by the cap.
   */
  public void serverLimits(LongSupplier buffered, long bufferedLimit, LongSupplier memoryShed, IntSupplier connections,
      LongSupplier connectionsRefused) {
    gauges.serverLimits(buffered, bufferedLimit, memoryShed, connections, connectionsRefused);
  }

  @Override
  public void queued(String target, String priority) {
    counter("reliapi_concurrency_queued", "target", target, "priority", priority).increment();
  }

  @Override
  public void shed(String target, String priority, String reason) {
    counter("reliapi_concurrency_shed", "target", target, "priority", priority, "reason", reason).increment();
  }

  @Override
  public void llmLimitRefused(String target, String limit, String kind) {
    counter("reliapi_llm_limit_refusals", "target", target, "limit", limit, "kind", kind).increment();
  }

  @Override
  public void circuitCreated(String target, String deployment, Supplier<String> state) {
    // A reload may replace a target's breaker: the gauge, registered once, reads the newest one.
    gauges.circuit(target, label(deployment), state);
  }

  @Override
  public void circuitTransition(String target, String deployment, String from, String to) {
    counter("reliapi_circuit_transitions", "target", target, "deployment", label(deployment), "from", from, "to", to)
        .increment();
  }

  @Override
  public void fallback(String from, String to) {
    counter("reliapi_fallbacks", "from", from, "to", to).increment();
  }

  @Override
  public void configReload(String result) {
    counter("reliapi_config_reloads", "result", result).increment();
  }

  /** A TLS handshake on the listener failed; {@code reason} is one of a fixed set (server.HandshakeFailures). */
  public void tlsHandshakeFailed(String reason) {
    counter("reliapi_tls_handshake_failures", "reason", reason).increment();
  }

  @Override
  public void telemetryExportFailed(int spans) {
    counter("reliapi_telemetry_export_failures").increment();
    counter("reliapi_telemetry_spans_dropped").increment(spans);
  }

  @Override
  public void internalError(String step, String requestId, Throwable failure) {
    counter("reliapi_internal_errors", "stage", step).increment();
  }

  /** The {@code deployment} label of a target without deployments: empty, which Prometheus reads as absent. */
  private static String label(String deployment) {
    return deployment == null ? "" : deployment;
  }

  private Counter counter(String name, String... labels) {
    return meters.counter(name, labels);
  }
}
