package io.reliapi.config;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * One upstream the gateway forwards to. Optional blocks are absent when the file does not write them:
 * no {@code cache} block means the target never caches; no {@code llm} block means it is a plain HTTP target.
 *
 * @param streamMaxMs {@code stream_max_s} in milliseconds: the longest a streamed answer may run, counted from the
 *                    request's arrival; absent: until the request's deadline
 * @param concurrency  the limit on attempts in flight; absent: none but the connection pool
 */
public record TargetConfig(
    String name,
    URI baseUrl,
    long timeoutMs,
    long connectTimeoutMs,
    Optional<Long> deadlineMs,
    int maxConnections,
    RetryMatrix retry,
    CircuitConfig circuit,
    Optional<CacheConfig> cache,
    IdempotencyConfig idempotency,
    Optional<AuthConfig> auth,
    List<String> fallbackTargets,
    Optional<LlmConfig> llm,
    Optional<Long> streamMaxMs,
    RetryBudgetConfig retryBudget,
    Optional<ConcurrencyConfig> concurrency) {

  public static final long DEFAULT_TIMEOUT_MS = 30_000;
  public static final long DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
  public static final int DEFAULT_MAX_CONNECTIONS = 128;

  public TargetConfig {
    fallbackTargets = List.copyOf(fallbackTargets);
  }

  public boolean isLlm() {
    return llm.isPresent();
  }

  /**
   * Returns the {@code nanoTime} by which a streamed answer of a request that arrived at {@code startNanos}
   * must have ended: {@code stream_max_s} after its arrival where set, else the request's deadline.
   */
  public long streamEndNanos(long startNanos, long deadlineNanos) {
    return streamMaxMs.map(ms -> startNanos + ms * 1_000_000L).orElse(deadlineNanos);
  }

  /** Returns the overall deadline of a request to this target: its own, else the server's. */
  public long deadlineMs(ServerConfig server) {
    return deadlineMs.orElse(server.deadlineMs());
  }
}
