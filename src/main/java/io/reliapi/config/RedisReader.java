package io.reliapi.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the {@code redis} block: which Redis (one server, a cluster, or a primary behind Sentinel), how to
 * reach it (TLS files, a password from the environment), and how the guarantees behave when it fails.
 * A URL is never repeated with its password in a problem line.
 */
final class RedisReader {
  static final long MAX_WAIT_TIMEOUT_MS = 10_000;

  private RedisReader() {}

  static Optional<RedisConfig> read(Node n) {
    if (!n.mapping(ConfigReader.SCHEMA.get("redis"))) {
      return Optional.empty();
    }
    RedisConfig.Mode mode = n.field("mode").choice(Node.words(
        Map.entry("standalone", RedisConfig.Mode.STANDALONE),
        Map.entry("cluster", RedisConfig.Mode.CLUSTER),
        Map.entry("sentinel", RedisConfig.Mode.SENTINEL)), RedisConfig.Mode.STANDALONE);
    Node endpointsNode = switch (mode) {
      case STANDALONE -> n.field("url");
      case CLUSTER -> n.field("nodes");
      case SENTINEL -> n.field("sentinels");
    };
    List<String> endpoints = mode == RedisConfig.Mode.STANDALONE ? url(endpointsNode) : urls(endpointsNode);
    onlyIn(n, "url", mode, RedisConfig.Mode.STANDALONE);
    onlyIn(n, "nodes", mode, RedisConfig.Mode.CLUSTER);
    onlyIn(n, "sentinels", mode, RedisConfig.Mode.SENTINEL);
    onlyIn(n, "master_name", mode, RedisConfig.Mode.SENTINEL);
    Optional<String> masterName = Optional.empty();
    if (mode == RedisConfig.Mode.SENTINEL) {
      masterName = Optional.of(n.field("master_name").requiredText());
    }
    if (mode == RedisConfig.Mode.CLUSTER) {
      endpoints.stream().filter(url -> RedisUrls.database(url) != 0).findFirst().ifPresent(url ->
          endpointsNode.problems().add(endpointsNode.path(), RedisUrls.redacted(url),
              "a Redis Cluster has only database 0"));
    }
    // The same checks as a target's files (certificates parse, the key is usable and the certificate's), so a wrong
    // file stops the start instead of leaving Redis unreachable; the Redis client reads the files by path itself.
    Optional<TlsFiles> tls = TlsReader.readWithPem(n.field("tls")).map(TargetTls::files);
    sameScheme(endpointsNode, endpoints, tls.isPresent());
    var onUnavailable = n.field("on_unavailable").choice(Node.words(
        Map.entry("fail_closed", RedisConfig.OnUnavailable.FAIL_CLOSED),
        Map.entry("degrade", RedisConfig.OnUnavailable.DEGRADE)), RedisConfig.OnUnavailable.FAIL_CLOSED);
    long timeout = n.field("timeout_ms").integer(RedisConfig.DEFAULT_TIMEOUT_MS, 10, 60_000);
    Optional<Secret> password = n.field("password_env").present()
        ? Optional.of(n.field("password_env").secretFromEnv()) : Optional.empty();
    var ack = new RedisConfig.ReplicaAck(n.field("wait_replicas").integer(0, 0, 5),
        n.field("wait_timeout_ms").integer(RedisConfig.ReplicaAck.DEFAULT_TIMEOUT_MS, 1, MAX_WAIT_TIMEOUT_MS));
    return Optional.of(new RedisConfig(mode, endpoints, masterName, onUnavailable, timeout, password, tls, ack));
  }

  private static List<String> url(Node n) {
    if (!n.present()) {
      n.problem("is required with redis.mode standalone");
      return List.of();
    }
    String value = n.text("");
    RedisUrls.problem(value).ifPresent(rule -> n.problems().add(n.path(), RedisUrls.redacted(value), rule));
    return List.of(value);
  }

  private static List<String> urls(Node n) {
    List<Node> items = n.items();
    if (items.isEmpty()) {
      n.problems().add(n.path(), "needs at least one redis:// URL");
    }
    List<String> out = new ArrayList<>();
    for (Node item : items) {
      String value = item.text("");
      RedisUrls.problem(value).ifPresent(rule -> item.problems().add(item.path(), RedisUrls.redacted(value), rule));
      out.add(value);
    }
    return out;
  }

  private static void onlyIn(Node n, String key, RedisConfig.Mode mode, RedisConfig.Mode allowed) {
    Node field = n.field(key);
    if (field.present() && mode != allowed) {
      field.problems().add(field.path(), "only applies with redis.mode " + allowed.name().toLowerCase());
    }
  }

  /** Every URL uses one scheme, and {@code rediss://} when TLS files are given (one connection setup for all). */
  private static void sameScheme(Node n, List<String> endpoints, boolean tlsFiles) {
    long secure = endpoints.stream().filter(RedisUrls::tls).count();
    if (secure != 0 && secure != endpoints.size()) {
      n.problems().add(n.path(), "every URL must use the same scheme, redis:// or rediss://");
    } else if (tlsFiles && secure == 0 && !endpoints.isEmpty()) {
      n.problems().add(n.path(), RedisUrls.redacted(endpoints.get(0)), "redis.tls needs rediss:// URLs");
    }
  }
}
