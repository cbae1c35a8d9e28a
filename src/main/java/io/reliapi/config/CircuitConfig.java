package io.reliapi.config;

/** Per-target breaker: opens after {@code errorThreshold} consecutive failed attempts. */
public record CircuitConfig(boolean enabled, int errorThreshold, long cooldownS, int halfOpenCalls) {

  public static CircuitConfig defaults() {
    return new CircuitConfig(true, 5, 60, 1);
  }
}
