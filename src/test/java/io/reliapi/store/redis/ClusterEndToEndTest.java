package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.store.IdempotencyScope;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.RedisCluster;
import io.reliapi.testing.TestHttp.Res;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateway instances on a real Redis Cluster of three primaries and three replicas (issue 17, item 1):
 * the shared guarantees of {@link SharedStateContract} hold as on one Redis. Every script's keys share a
 * hash tag (a script touching two slots would fail with CROSSSLOT); the client library follows the
 * cluster's redirections, also when a slot moves to another primary. The two instances know the nodes in
 * different orders, so their completion channels listen on different nodes: a completion published on the
 * key's primary reaches both.
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
    return "{mode: cluster, nodes: %s, timeout_ms: %d}".formatted(cluster.yamlUrls(3 * instance), TIMEOUT_MS);
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
   * The slot holding the caller's idempotency records moves to another primary after both instances learned
   * the layout: their next commands get MOVED (or ASK while it moves), which the client library follows,
   * unless its once-a-second look at the layout saw the move first.
   */
  @Test
  void afterItsSlotMovedToAnotherPrimaryAKeyIsReplayedAndANewKeyExecutesOnce() {
    AtomicInteger calls = new AtomicInteger();
    up.otherwise("POST /pay", Behavior.delayed(200, Behavior.numbered(calls, 201)));
    GatewayHarness a = started(instance(0, ""));
    GatewayHarness b = started(instance(1, ""));
    Res first = post(a, "/t/api/pay", "{}", "moved-1").join();
    String record = Keys.idempotency(new IdempotencyScope("anonymous", "api", "moved-1"));
    int before = cluster.primaryOf(record).port();

    assertThat(cluster.moveSlotOf(record).port()).isNotEqualTo(before);
    List<Res> replays = answers(List.of(post(a, "/t/api/pay", "{}", "moved-1"),
        post(b, "/t/api/pay", "{}", "moved-1")));
    List<Res> fresh = answers(List.of(post(a, "/t/api/pay", "{}", "moved-2"),
        post(b, "/t/api/pay", "{}", "moved-2")));

    assertThat(replays).allSatisfy(r -> {
      assertThat(r.body()).isEqualTo(first.body());
      assertThat(r.header("Idempotent-Replayed")).isEqualTo("true");
    });
    assertThat(fresh).allSatisfy(r -> assertThat(r.body()).isEqualTo("{\"call\":2}"));
    assertThat(replayed(fresh)).isEqualTo(1);
    assertThat(up.count("/pay")).isEqualTo(2);
  }
}
