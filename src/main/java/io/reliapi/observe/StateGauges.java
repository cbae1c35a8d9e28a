package io.reliapi.observe;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The meters read at each scrape rather than counted as requests pass: the breakers' states, the concurrency limits,
 * and the process-wide limits. Each is registered once; a breaker or limiter a reload replaces is read through its
 * newest instance.
 */
final class StateGauges {
  private final MeterRegistry registry;
  private final Map<String, Supplier<String>> breakerStates = new ConcurrentHashMap<>();
  private final Map<String, IntSupplier[]> limiters = new ConcurrentHashMap<>();

  StateGauges(MeterRegistry registry) {
    this.registry = registry;
  }

  void concurrencyLimiter(String target, IntSupplier limit, IntSupplier inFlight, IntSupplier queued) {
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

  /** Registers the state gauge of the breaker of {@code target} (and {@code deployment}, a label, "" for none). */
  void circuit(String target, String deployment, Supplier<String> state) {
    String key = target + "/" + deployment;
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
        .tag("deployment", deployment)
        .strongReference(true)
        .register(registry);
  }

  void serverLimits(LongSupplier buffered, long bufferedLimit, LongSupplier memoryShed, IntSupplier connections,
      LongSupplier connectionsRefused) {
    Gauge.builder("reliapi_buffered_bytes", buffered::getAsLong)
        .description("Bytes of request bodies and upstream answers buffered for requests in flight")
        .strongReference(true).register(registry);
    Gauge.builder("reliapi_buffered_bytes_limit", () -> bufferedLimit)
        .description("The most bytes buffered at once (server.max_buffered_bytes)")
        .strongReference(true).register(registry);
    // A function counter holds its object weakly: these gauges, which live as long as the registry, keep the reads.
    FunctionCounter.builder("reliapi_memory_shed", this, m -> memoryShed.getAsLong())
        .description("Requests answered 503 OVERLOADED because server.max_buffered_bytes was reached")
        .register(registry);
    Gauge.builder("reliapi_client_connections", connections::getAsInt)
        .description("Client connections open").strongReference(true).register(registry);
    FunctionCounter.builder("reliapi_connections_refused", this, m -> connectionsRefused.getAsLong())
        .description("Client connections closed on arrival because server.max_connections were open")
        .register(registry);
  }
}
