package io.reliapi.config;

import java.util.List;
import java.util.Optional;

/**
 * Shared state. {@code mode} says how the gateway finds Redis: one server ({@code endpoints} is its URL),
 * a cluster ({@code endpoints} are seed nodes) or a primary watched by Sentinel ({@code endpoints} are the
 * sentinels, {@code masterName} the primary's name). {@code onUnavailable} says what requests that need
 * Redis for a guarantee do when it is down. {@code replicaAck} makes the writes a guarantee acts on wait
 * until a replica holds them. URLs and the password may hold credentials: {@link #toString()} hides them.
 */
public record RedisConfig(Mode mode, List<String> endpoints, Optional<String> masterName,
    OnUnavailable onUnavailable, long timeoutMs, Optional<Secret> password, Optional<TlsFiles> tls,
    ReplicaAck replicaAck) {

  public static final long DEFAULT_TIMEOUT_MS = 1_000;

  public enum OnUnavailable { FAIL_CLOSED, DEGRADE }

  public enum Mode { STANDALONE, CLUSTER, SENTINEL }

  /** How many replicas must hold a claim or a reservation ({@code WAIT}), and how long to wait for them. */
  public record ReplicaAck(int replicas, long timeoutMs) {
    public static final long DEFAULT_TIMEOUT_MS = 50;
    public static final ReplicaAck NONE = new ReplicaAck(0, DEFAULT_TIMEOUT_MS);
  }

  public RedisConfig {
    endpoints = List.copyOf(endpoints);
  }

  /** One standalone Redis at {@code url}, no password beyond the URL's, no TLS files, no replica wait. */
  public RedisConfig(String url, OnUnavailable onUnavailable, long timeoutMs) {
    this(Mode.STANDALONE, List.of(url), Optional.empty(), onUnavailable, timeoutMs, Optional.empty(),
        Optional.empty(), ReplicaAck.NONE);
  }

  /** Returns the URL of a standalone Redis (the first endpoint in the other modes). */
  public String url() {
    return endpoints.isEmpty() ? "" : endpoints.get(0);
  }

  /** Returns the database the URLs select (0 in a cluster, which has no other). */
  public int database() {
    return RedisUrls.database(url());
  }

  public RedisConfig withUrl(String url) {
    return new RedisConfig(mode, List.of(url), masterName, onUnavailable, timeoutMs, password, tls, replicaAck);
  }

  @Override
  public String toString() {
    return "RedisConfig[mode=" + mode + ", endpoints=" + endpoints.stream().map(RedisUrls::redacted).toList()
        + ", masterName=" + masterName.orElse("") + ", onUnavailable=" + onUnavailable + ", timeoutMs=" + timeoutMs
        + ", password=" + password.map(Secret::toString).orElse("none") + ", tls=" + tls + ", replicaAck="
        + replicaAck + "]";
  }
}
