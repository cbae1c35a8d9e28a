package io.reliapi.store.redis;

import io.reliapi.config.RedisConfig;
import io.reliapi.config.Secret;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import io.vertx.redis.client.RedisRole;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns the {@code redis} config into the client library's options: one pool for commands (standalone,
 * cluster or Sentinel; the library follows MOVED/ASK redirections, cluster topology changes and Sentinel's
 * switch of primary), and the options of the connection that listens for completion signals.
 *
 * <p>A password from {@code redis.password_env} is written into every endpoint URL, because in a cluster the
 * library reaches nodes it learns about by copying the seed URL's user part. Those URLs live only in
 * memory and are never logged.
 */
final class RedisClients {
  static final int POOL_SIZE = 32;
  static final int MAX_WAITING = 100_000;
  /** How long a learned cluster topology or Sentinel primary is trusted before it is asked for again. */
  static final long TOPOLOGY_TTL_MS = 1_000;

  private RedisClients() {}

  /** Returns the options of the command pool. */
  static RedisOptions commands(RedisConfig config) {
    RedisOptions options = base(config)
        .setMaxPoolSize(POOL_SIZE)
        .setMaxPoolWaiting(MAX_WAITING)
        .setMaxWaitingHandlers(MAX_WAITING);
    return switch (config.mode()) {
      case STANDALONE -> options.setType(RedisClientType.STANDALONE);
      case CLUSTER -> options.setType(RedisClientType.CLUSTER).setUseReplicas(RedisReplicas.NEVER)
          .setHashSlotCacheTTL(TOPOLOGY_TTL_MS);
      case SENTINEL -> options.setType(RedisClientType.SENTINEL).setRole(RedisRole.MASTER)
          .setMasterName(config.masterName().orElseThrow()).setTopologyCacheTTL(TOPOLOGY_TTL_MS)
          .setAutoFailover(true);
    };
  }

  /**
   * Returns the options of the connections the completion channel may subscribe on, to be tried in turn:
   * the Redis itself; the primary Sentinel names (a replica promoted later keeps hearing what the new
   * primary publishes, as Redis replicates PUBLISH); or each cluster seed node on its own, as a message
   * published on any cluster node reaches every node.
   */
  static List<RedisOptions> signals(RedisConfig config) {
    return switch (config.mode()) {
      case STANDALONE -> List.of(base(config).setType(RedisClientType.STANDALONE).setMaxPoolSize(1));
      case SENTINEL -> List.of(base(config).setType(RedisClientType.SENTINEL).setRole(RedisRole.MASTER)
          .setMasterName(config.masterName().orElseThrow()).setTopologyCacheTTL(TOPOLOGY_TTL_MS)
          .setMaxPoolSize(1));
      case CLUSTER -> endpoints(config).stream()
          .map(url -> base(config).setType(RedisClientType.STANDALONE).setEndpoints(List.of(url)).setMaxPoolSize(1))
          .toList();
    };
  }

  private static RedisOptions base(RedisConfig config) {
    return new RedisOptions().setEndpoints(endpoints(config)).setNetClientOptions(net(config));
  }

  /** Returns the endpoint URLs, each carrying the password of {@code redis.password_env} unless it has its own. */
  static List<String> endpoints(RedisConfig config) {
    return config.endpoints().stream().map(url -> config.password().map(p -> withPassword(url, p)).orElse(url))
        .toList();
  }

  /** Returns {@code url} with {@code password} in its user part, keeping its user; a URL with a password is kept. */
  static String withPassword(String url, Secret password) {
    int scheme = url.indexOf("://");
    int at = url.indexOf('@', scheme + 3);
    int end = url.indexOf('/', scheme + 3);
    boolean hasUserPart = at > 0 && (end < 0 || at < end);
    String user = hasUserPart ? url.substring(scheme + 3, at) : "";
    if (user.contains(":")) {
      return url;
    }
    String rest = hasUserPart ? url.substring(at + 1) : url.substring(scheme + 3);
    return url.substring(0, scheme + 3) + user + ":" + URLEncoder.encode(password.value(), StandardCharsets.UTF_8)
        + "@" + rest;
  }

  private static NetClientOptions net(RedisConfig config) {
    NetClientOptions net = new NetClientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.timeoutMs()))
        .setTcpKeepAlive(true)
        .setTcpNoDelay(true);
    if (config.url().startsWith("rediss://")) {
      // The server's certificate must name the host the URL names, as for HTTPS, and the handshake names that host
      // (SNI) for a proxy that routes by it, a single-label one too.
      net.setSsl(true).setHostnameVerificationAlgorithm("HTTPS").setSslEngineOptions(new ServerNamingEngine());
      config.tls().ifPresent(tls -> {
        tls.caFile().ifPresent(ca -> net.setTrustOptions(new PemTrustOptions().addCertPath(ca)));
        if (tls.certFile().isPresent() && tls.keyFile().isPresent()) {
          net.setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certFile().get())
              .setKeyPath(tls.keyFile().get()));
        }
      });
    }
    return net;
  }
}
