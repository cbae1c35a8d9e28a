package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.RedisNode;
import io.reliapi.testing.RedisSentinels;
import io.reliapi.testing.RedisTlsAcl;
import io.reliapi.testing.TestHttp.Res;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateway instances that know only three Sentinels, all of them (and the primary and its replica)
 * speaking only TLS, with the default user off and the gateway in as the ACL user: on the Sentinels with the
 * rights to ask where the primary is, on the primary with the documented ones. The primary's address comes
 * from a Sentinel, and the client library must reach it with TLS and the same user. The shared guarantees
 * of {@link SharedStateContract} hold as behind open Sentinels.
 */
class SentinelTlsAclEndToEndTest extends SharedStateContract {
  private static RedisTlsAcl security;
  private static RedisSentinels sentinels;

  @BeforeAll
  static void startSentinels() throws IOException {
    security = RedisTlsAcl.create(Files.createTempDirectory("reliapi-sentinel-tls"));
    sentinels = RedisSentinels.start(security);
  }

  @AfterAll
  static void stopSentinels() {
    sentinels.close();
  }

  @BeforeEach
  void emptyPrimary() {
    sentinels.primary().command("FLUSHALL");
  }

  /** The password sits in the URLs here (the contract builds some instances without an environment). */
  @Override
  String redis(int instance) {
    return "{mode: sentinel, sentinels: %s, master_name: %s, timeout_ms: %d, tls: {ca_file: \"%s\"}}".formatted(
        security.withPassword(sentinels.yamlUrls(instance)),
        RedisSentinels.MASTER_NAME, TIMEOUT_MS, security.certificates().caCert());
  }

  @Override
  int keyCount(String pattern) {
    return sentinels.primary().keyCount(pattern);
  }

  @Override
  String get(String key) {
    return sentinels.primary().command("GET " + key);
  }

  /**
   * With the password from {@code password_env}, both instances are ready, a keyed request runs once and is
   * replayed by the other, and every connection either makes to a Sentinel or the primary is the ACL user's.
   */
  @Test
  void withThePasswordFromTheEnvironmentEveryConnectionToSentinelsAndPrimaryIsTheAclUsers() {
    AtomicInteger calls = new AtomicInteger();
    up.otherwise("POST /pay", Behavior.numbered(calls, 201));
    List<GatewayHarness> both = List.of(0, 1).stream().map(i -> started(instanceOn(
        ("{mode: sentinel, sentinels: %s, master_name: %s, timeout_ms: %d, password_env: REDIS_PASSWORD, "
            + "tls: {ca_file: \"%s\"}}").formatted(sentinels.yamlUrls(i), RedisSentinels.MASTER_NAME, TIMEOUT_MS,
            security.certificates().caCert()), "")
        .env("REDIS_PASSWORD", security.userPassword()))).toList();

    Res first = post(both.get(0), "/t/api/pay", "{}", "tls-sentinel-1").join();
    Res again = post(both.get(1), "/t/api/pay", "{}", "tls-sentinel-1").join();

    assertThat(first.status()).isEqualTo(201);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(up.count("/pay")).isEqualTo(1);
    assertThat(both).allSatisfy(gw -> assertThat(gw.http.get("/readyz").status()).isEqualTo(200));
    // (A Sentinel has no CONFIG GET; the test reaches it, as the gateway does, on its TLS port only.)
    assertThat(List.of(sentinels.primary(), sentinels.replica())).as("TLS only, also for replication")
        .allSatisfy(node -> {
          assertThat(node.command("CONFIG GET port")).endsWith("\r\n0");
          assertThat(node.command("CONFIG GET tls-replication")).endsWith("\r\nyes");
        });
    List<String> onPrimary = sentinels.primary().clients().stream()
        .filter(ClusterTlsAclEndToEndTest::notTheNodesOwn).toList();
    List<String> onSentinels = sentinels.sentinels().stream().flatMap(s -> s.clients().stream())
        .filter(ClusterTlsAclEndToEndTest::notTheNodesOwn).toList();
    assertThat(Stream.concat(onPrimary.stream(), onSentinels.stream()))
        .allSatisfy(line -> assertThat(line).contains(" user=" + RedisTlsAcl.USER + " "));
    assertThat(onPrimary).as("the pool and the completion channels").hasSizeGreaterThan(1);
    assertThat(onSentinels).as("topology and failover subscriptions").isNotEmpty();
  }
}
