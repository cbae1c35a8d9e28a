package io.reliapi.store.redis;

import io.reliapi.testing.RedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Two gateway instances on a real Redis Cluster of three primaries and three replicas (issue 17, item 1):
 * the shared guarantees of {@link SharedStateContract} hold as on one Redis. Every script's keys share a
 * hash tag (a script touching two slots would fail with CROSSSLOT); the client library follows the
 * cluster's redirections. The two instances know the nodes in different orders, so their completion
 * channels listen on different nodes: a completion published on the key's primary reaches both.
 */
class ClusterEndToEndTest extends SharedStateContract {
  private static RedisCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = RedisCluster.start();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @BeforeEach
  void emptyCluster() {
    cluster.flushAll();
  }

  @Override
  String redis(int instance) {
    return "{mode: cluster, nodes: %s}".formatted(cluster.yamlUrls(3 * instance));
  }

  @Override
  int keyCount(String pattern) {
    return cluster.keyCount(pattern);
  }

  @Override
  String get(String key) {
    return cluster.commandFor(key, "GET " + key);
  }
}
