package io.reliapi.store.redis;

import io.reliapi.testing.RedisCluster;
import io.reliapi.testing.RedisNode;
import io.reliapi.testing.RedisTlsAcl;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;

/**
 * A primary of a real Redis Cluster dies under load and its replica is promoted (issue 17, item 2); see
 * {@link FailoverUnderLoadContract}. The client is chosen so that its hash tag lands on the primary holding
 * the budget ledger, and that primary is killed: both guarantees live through the failover.
 */
class ClusterFailoverTest extends FailoverUnderLoadContract {
  private RedisCluster cluster;
  private RedisNode doomed;
  private RedisNode heir;
  private String client;
  private RedisTlsAcl security;

  /** Returns how the cluster is locked down, or null for an open one. */
  RedisTlsAcl lockedDown() {
    return null;
  }

  @BeforeEach
  void startCluster() {
    security = lockedDown();
    cluster = RedisCluster.start(security);
    doomed = cluster.primaryOf(Keys.budget("any"));
    heir = cluster.replicaOf(doomed);
    client = IntStream.range(0, 1_000).mapToObj(i -> "client-" + i)
        .filter(name -> cluster.primaryOf(Keys.idempotencyCount(name)).port() == doomed.port())
        .findFirst().orElseThrow();
  }

  @Override
  void closeRedis() {
    cluster.close();
  }

  @Override
  String redis(int instance) {
    return "{mode: cluster, %s, timeout_ms: 500, wait_replicas: 1}".formatted(
        RedisTlsAcl.gatewayOptions(security, "nodes", cluster.yamlUrls(3 * instance)));
  }

  @Override
  String client() {
    return client;
  }

  @Override
  void killPrimary() {
    doomed.kill();
  }

  @Override
  void awaitPromoted() {
    cluster.awaitPromoted(heir, Duration.ofSeconds(20));
  }

  @Override
  String get(String key) {
    return cluster.commandFor(key, "GET " + key);
  }
}
