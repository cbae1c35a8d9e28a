package io.reliapi.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The Prometheus metrics (SPEC §6); the only user of Micrometer. Meters are looked up once per label
 * combination and cached, and every label value comes from a bounded set (configured target and client
 * names, error codes, fixed words), never from request data. The {@code deployment} label holds a configured
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
  /** Meters by name, then by each label value in turn: a lookup builds no key, so it allocates nothing. */
  private final Map<String, Object> meters = new ConcurrentHashMap<>();
  private final Map<String, Supplier<String>> breakerStates = new ConcurrentHashMap<>();
  private final Map<String, IntSupplier[]> limiters = new ConcurrentHashMap<>();

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
      long reasoningTokens) {
    details(target, model, "cache_read", cacheReadTokens);
    details(target, model, "cache_write", cacheWriteTokens);
    details(target, model, "reasoning", reasoningTokens);
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
    timer(target, kind).record(Duration.ofNanos(r.durationNanos()));
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
  public void retryBudgetExhausted(String target) {
    counter("reliapi_retry_budget_exhausted", "target", target).increment();
  }

  @Override
  public void concurrencyLimiterCreated(String target, IntSupplier limit, IntSupplier inFlight, IntSupplier queued) {
    // A reload may replace a target's limiter: the gauges, registered once, read the newest one.
    if (limiters.put(target, new IntSupplier[] {limit, inFlight, queued}) != null) {
      return;
    }
    String[][] gauges = {
        {"reliapi_concurrency_limit", "Attempts the target's concurrency limit lets run at once"},
        {"reliapi_concurrency_in_flight", "Attempts on the target holding a place of its concurrency limit"},
        {"reliapi_concurrency_waiting", "Attempts waiting for a place of the target's concurrency limit"}};
    for (int i = 0; i < gauges.length; i++) {
      int which = i;
      Gauge.builder(gauges[i][0], () -> limiters.get(target)[which].getAsInt())
          .description(gauges[i][1])
          .tag("target", target)
          .strongReference(true)
          .register(registry);
    }
  }

  /**
   * Registers the process-wide limits' meters, read at each scrape: bytes buffered for requests in flight and their
   * limit, requests shed for want of that memory, client connections open and connections refused by the cap.
   */
  public void serverLimits(LongSupplier buffered, long bufferedLimit, LongSupplier memoryShed, IntSupplier connections,
      LongSupplier connectionsRefused) {
    Gauge.builder("reliapi_buffered_bytes", buffered::getAsLong)
        .description("Bytes of request bodies and upstream answers buffered for requests in flight")
        .strongReference(true).register(registry);
    Gauge.builder("reliapi_buffered_bytes_limit", () -> bufferedLimit)
        .description("The most bytes buffered at once (server.max_buffered_bytes)")
        .strongReference(true).register(registry);
    // A function counter holds its object weakly: the Metrics, which lives as long as the registry, keeps the reads.
    FunctionCounter.builder("reliapi_memory_shed", this, m -> memoryShed.getAsLong())
        .description("Requests answered 503 OVERLOADED because server.max_buffered_bytes was reached")
        .register(registry);
    Gauge.builder("reliapi_client_connections", connections::getAsInt)
        .description("Client connections open").strongReference(true).register(registry);
    FunctionCounter.builder("reliapi_connections_refused", this, m -> connectionsRefused.getAsLong())
        .description("Client connections closed on arrival because server.max_connections were open")
        .register(registry);
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
    String key = target + "/" + label(deployment);
    if (breakerStates.put(key, state) != null) {
      return;
    }
    Supplier<String> current = () -> breakerStates.get(key).get();
    Gauge.builder("reliapi_circuit_state", current, s -> switch (s.get()) {
          case "open" -> 1;
          case "half_open" -> 2;
          default -> 0;
        })
        .description("Circuit breaker state: 0 closed, 1 open, 2 half-open")
        .tag("target", target)
        .tag("deployment", label(deployment))
        .strongReference(true)
        .register(registry);
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

  /**
   * Returns the counter {@code name} (exposed with a {@code _total} suffix) for the label pairs; a metric
   * always uses the same label names in the same order.
   */
  public Counter counter(String name, String... labels) {
    return meter(name, labels, () -> Counter.builder(name).tags(labels).register(registry));
  }

  private Timer timer(String target, String kind) {
    return meter("reliapi_request_duration", new String[] {"target", target, "kind", kind},
        () -> Timer.builder("reliapi_request_duration")
            .description("Time from request arrival to the end of the response")
            .tags("target", target, "kind", kind)
            .serviceLevelObjectives(BUCKETS)
            .register(registry));
  }

  @SuppressWarnings("unchecked")
  private <M> M meter(String name, String[] labels, Supplier<M> create) {
    Object node = meters.computeIfAbsent(name, k -> new ConcurrentHashMap<String, Object>());
    for (int i = 1; i < labels.length; i += 2) {
      boolean last = i + 2 >= labels.length;
      Map<String, Object> level = (Map<String, Object>) node;
      node = level.get(labels[i]);
      if (node == null) {
        node = level.computeIfAbsent(labels[i], k -> last ? create.get() : new ConcurrentHashMap<String, Object>());
      }
    }
    if (labels.length == 0) {
      Map<String, Object> level = (Map<String, Object>) node;
      node = level.computeIfAbsent("", k -> create.get());
    }
    return (M) node;
  }
}
