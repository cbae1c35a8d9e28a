package io.reliapi.config;

/** Shared state. {@code onUnavailable} says what requests that need Redis for a guarantee do when it is down. */
public record RedisConfig(String url, OnUnavailable onUnavailable, long timeoutMs) {

  public static final long DEFAULT_TIMEOUT_MS = 1_000;

  public enum OnUnavailable { FAIL_CLOSED, DEGRADE }

  public RedisConfig withUrl(String url) {
    return new RedisConfig(url, onUnavailable, timeoutMs);
  }
}
