package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.RedisCluster;
import io.reliapi.testing.RedisTlsAcl;
import io.reliapi.testing.TestHttp.Res;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateway instances on a Redis Cluster locked down as managed Redis often is: TLS only on every node
 * (also the cluster bus and replication), the default user off, the gateway in as the ACL user with the
 * documented rights. The instances know only the seed nodes' URLs; the client library learns the other
 * nodes from {@code CLUSTER SLOTS} and must reach them with TLS and the same user, or every command on their
 * slots fails. The shared guarantees of {@link SharedStateContract} hold as on an open cluster.
 */
class ClusterTlsAclEndToEndTest extends SharedStateContract {
  private static RedisTlsAcl security;
  private static RedisCluster cluster;

  @BeforeAll
  static void startCluster() throws IOException {
    security = RedisTlsAcl.create(Files.createTempDirectory("reliapi-cluster-tls"));
    cluster = RedisCluster.start(security);
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @BeforeEach
  void emptyCluster() {
    cluster.flushAll();
  }

  /** The password sits in the URLs here (the contract builds some instances without an environment). */
  @Override
  String redis(int instance) {
    return "{mode: cluster, nodes: %s, timeout_ms: %d, tls: {ca_file: \"%s\"}}".formatted(
        security.withPassword(cluster.yamlUrls(3 * instance)), TIMEOUT_MS, security.certificates().caCert());
  }

  @Override
  int keyCount(String pattern) {
    return cluster.keyCount(pattern);
  }

  @Override
  String get(String key) {
    return cluster.commandFor(key, "GET " + key);
  }

  /**
   * With the password from {@code password_env} and a single seed each, both instances are ready, a keyed
   * request runs once and is replayed by the other, and every connection either makes to any node is the
   * ACL user's (an unauthenticated one would show as {@code default}).
   */
  @Test
  void withOneSeedAndThePasswordFromTheEnvironmentEveryConnectionToEveryNodeIsTheAclUsers() {
    AtomicInteger calls = new AtomicInteger();
    up.otherwise("POST /pay", Behavior.numbered(calls, 201));
    List<GatewayHarness> both = List.of(0, 1).stream().map(i -> started(instanceOn(
        "{mode: cluster, nodes: [%s], timeout_ms: %d, password_env: REDIS_PASSWORD, tls: {ca_file: \"%s\"}}"
            .formatted(cluster.nodes().get(3 * i).url(), TIMEOUT_MS, security.certificates().caCert()), "")
        .env("REDIS_PASSWORD", security.userPassword()))).toList();

    Res first = post(both.get(0), "/t/api/pay", "{}", "tls-cluster-1").join();
    Res again = post(both.get(1), "/t/api/pay", "{}", "tls-cluster-1").join();

    assertThat(first.status()).isEqualTo(201);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(up.count("/pay")).isEqualTo(1);
    assertThat(both).allSatisfy(gw -> assertThat(gw.http.get("/readyz").status()).isEqualTo(200));
    assertThat(cluster.nodes()).as("TLS only, also on the cluster bus").allSatisfy(node -> {
      assertThat(node.command("CONFIG GET port")).endsWith("\r\n0");
      assertThat(node.command("CONFIG GET tls-cluster")).endsWith("\r\nyes");
    });
    List<String> gatewayConnections = cluster.nodes().stream().flatMap(node -> node.clients().stream())
        .filter(ClusterTlsAclEndToEndTest::notTheNodesOwn).toList();
    assertThat(gatewayConnections).isNotEmpty()
        .allSatisfy(line -> assertThat(line).contains(" user=" + RedisTlsAcl.USER + " "));
    assertThat(cluster.nodes().stream().filter(node -> node.clients().stream()
        .anyMatch(line -> line.contains(" user=" + RedisTlsAcl.USER + " "))).count())
        .as("nodes the gateways reached beyond their seeds").isGreaterThan(2);
  }

  /** The test's admin connection and a replica's link to its primary (shown as the superuser) are not the gateways'. */
  static boolean notTheNodesOwn(String clientLine) {
    return !clientLine.contains(" user=admin ") && !clientLine.contains(" user=(superuser) ");
  }
}
