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
 * @param deployments where the target's attempts may go, each with its own base URL, credential and weight; empty:
 *                    the target is its one deployment (its {@code base_url} and {@code auth})
 * @param deploymentCooldownS how long a deployment answering 429 without {@code Retry-After} is left out
 * @param hedge       when to send a second, hedged attempt; absent: never
 * @param concurrency  the limit on attempts in flight; absent: none but the connection pool
 * @param tls         the CA to trust and the client certificate for its {@code https://} URLs (base URL and every
 *                    deployment's); absent: the JVM's CAs, no client certificate
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
    List<DeploymentConfig> deployments,
    long deploymentCooldownS,
    Optional<HedgeConfig> hedge,
    RetryBudgetConfig retryBudget,
    Optional<ConcurrencyConfig> concurrency,
    Optional<TargetTls> tls) {

  public static final long DEFAULT_TIMEOUT_MS = 30_000;
  public static final long DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
  public static final int DEFAULT_MAX_CONNECTIONS = 1024;
  public static final long DEFAULT_DEPLOYMENT_COOLDOWN_S = 10;

  public TargetConfig {
    fallbackTargets = List.copyOf(fallbackTargets);
    deployments = List.copyOf(deployments);
  }

  /** Returns the target as one of its deployments is called: that deployment's base URL and credential. */
  public TargetConfig forDeployment(DeploymentConfig deployment) {
    return new TargetConfig(name, deployment.baseUrl(), timeoutMs, connectTimeoutMs, deadlineMs, maxConnections, retry,
        circuit, cache, idempotency, deployment.auth(), fallbackTargets, llm, streamMaxMs, List.of(),
        deploymentCooldownS, hedge, retryBudget, concurrency, tls);
  }

  public boolean isLlm() {
    return llm.isPresent();
  }

  /**
   * Returns the {@code nanoTime} by which a streamed answer of a request that arrived at {@code startNanos}
   * must have ended: {@code stream_max_s} after its arrival where set, else the request's deadline.
   */
  public long streamEndNanos(long startNanos, long deadlineNanos) {
    // Without Optional.map: a capturing lambda per request on the hot path.
    return streamMaxMs.isPresent() ? startNanos + streamMaxMs.get() * 1_000_000L : deadlineNanos;
  }

  /** Returns the overall deadline of a request to this target: its own, else the server's. */
  public long deadlineMs(ServerConfig server) {
    return deadlineMs.orElse(server.deadlineMs());
  }
}
