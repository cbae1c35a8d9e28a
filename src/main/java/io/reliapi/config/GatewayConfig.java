package io.reliapi.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole configuration: immutable; a reload replaces it with a new one as a whole.
 */
public record GatewayConfig(
    ServerConfig server,
    Optional<RedisConfig> redis,
    Optional<String> defaultLlmTarget,
    List<ClientConfig> clients,
    Map<String, TargetConfig> targets,
    TelemetryConfig telemetry,
    AdminConfig admin) {

  public GatewayConfig(ServerConfig server, Optional<RedisConfig> redis, Optional<String> defaultLlmTarget,
      List<ClientConfig> clients, Map<String, TargetConfig> targets) {
    this(server, redis, defaultLlmTarget, clients, targets, TelemetryConfig.off(), AdminConfig.off());
  }

  public GatewayConfig {
    clients = List.copyOf(clients);
    // Insertion order kept: summaries, /v1/models and the startup line list targets as the file does.
    targets = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(targets));
  }

  public Optional<TargetConfig> target(String name) {
    return Optional.ofNullable(targets.get(name));
  }

  /** Returns whether no client key is configured, so every caller is let in. */
  public boolean open() {
    return clients.isEmpty();
  }

  public GatewayConfig withServer(ServerConfig server) {
    return new GatewayConfig(server, redis, defaultLlmTarget, clients, targets, telemetry, admin);
  }

  public GatewayConfig withRedis(Optional<RedisConfig> redis) {
    return new GatewayConfig(server, redis, defaultLlmTarget, clients, targets, telemetry, admin);
  }
}
