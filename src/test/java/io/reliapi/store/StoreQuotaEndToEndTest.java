package io.reliapi.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.RedisServer;
import io.reliapi.testing.TestHttp.Res;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Shared stores are fair (issue 11, item 11): one client flooding keys can neither evict another client's
 * idempotency records (in memory) nor fill Redis for everyone; a client over its quota of records gets
 * 429 {@code QUOTA_EXCEEDED} for new keys while its old keys and every other client are served.
 */
class StoreQuotaEndToEndTest {
  private static final String ANSWER = "a".repeat(8192);
  private final MockUpstream up = MockUpstream.start();
  private GatewayHarness gw;
  private RedisServer redis;

  @AfterEach
  void stop() {
    if (gw != null) {
      gw.close();
    }
    up.close();
    if (redis != null) {
      redis.close();
    }
  }

  private void start(String topLevel, String aliceExtras) {
    start(topLevel, aliceExtras, "");
  }

  private void start(String topLevel, String aliceExtras, String bobExtras) {
    up.otherwise("* *", Behavior.respond(201, Map.of("Content-Type", "text/plain"), ANSWER));
    gw = GatewayHarness.yaml(topLevel + """
        clients:
          - {name: alice, key_env: ALICE_KEY%s}
          - {name: bob, key_env: BOB_KEY%s}
        targets:
          api: {base_url: "%s"}
        """.formatted(aliceExtras, bobExtras, up.baseUrl()))
        .env("ALICE_KEY", "alice-secret").env("BOB_KEY", "bob-secret").start();
  }

  private Res pay(String who, String key) {
    return gw.http.post("/t/api/" + who + "/pay", "{}", "X-API-Key", who + "-secret", "Idempotency-Key", key,
        "Content-Type", "application/json");
  }

  /** Bob pays three times, Alice floods keys, and Bob's three keys still replay. */
  private void bobsKeysSurviveAlicesFlood(int flood) {
    for (int i = 0; i < 3; i++) {
      assertThat(pay("bob", "bob-" + i).status()).isEqualTo(201);
    }
    for (int i = 0; i < flood; i++) {
      pay("alice", "alice-" + i);
    }
    for (int i = 0; i < 3; i++) {
      Res replay = pay("bob", "bob-" + i);
      assertThat(replay.status()).isEqualTo(201);
      assertThat(replay.header("Idempotent-Replayed")).as("bob-" + i).isEqualTo("true");
    }
    assertThat(up.count("/bob/pay")).isEqualTo(3);
    Res fresh = pay("bob", "bob-after");
    assertThat(fresh.status()).isEqualTo(201);
    assertThat(pay("bob", "bob-after").header("Idempotent-Replayed")).isEqualTo("true");
  }

  @Test
  void inMemoryAClientFloodingKeysEvictsOnlyItsOwnRecords() {
    start("server: {idempotency_max_bytes: 262144}\n", "");
    bobsKeysSurviveAlicesFlood(100);
    // Alice's flood of 800 KiB did not fit in 256 KiB: her oldest records made room for her newest.
    assertThat(pay("alice", "alice-0").header("Idempotent-Replayed")).isNull();
  }

  @Test
  void aClientOverItsQuotaGetsQuotaExceededForNewKeysOnly() {
    start("", ", quota: {idempotency_records: 5}");
    for (int i = 0; i < 5; i++) {
      assertThat(pay("alice", "alice-" + i).status()).isEqualTo(201);
    }
    Res refused = pay("alice", "alice-5");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.json().get("code").asText()).isEqualTo("QUOTA_EXCEEDED");
    assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 86_400L);
    assertThat(pay("alice", "alice-0").header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(up.count("/alice/pay")).isEqualTo(5);
    bobsKeysSurviveAlicesFlood(0);
  }

  @Test
  void withRedisAClientFloodingKeysStopsAtItsQuotaInsteadOfFillingRedisForEveryone() {
    redis = RedisServer.start();
    start("redis: {url: \"%s\"}\n".formatted(redis.url()), ", quota: {idempotency_records: 50}",
        ", rate_limit: {rps: 1000}");
    await().atMost(Duration.ofSeconds(10)).until(() -> gw.http.get("/readyz").status() == 200);
    // Room for about 100 of Alice's 8 KiB answers, not for her flood of 300. Bob's rate limit needs Redis
    // to take a write for each of his requests.
    redis.command("CONFIG SET maxmemory-policy noeviction");
    long used = Long.parseLong(redis.command("INFO memory").lines()
        .filter(line -> line.startsWith("used_memory:")).findFirst().orElseThrow().substring(12).strip());
    redis.command("CONFIG SET maxmemory " + (used + 1_000_000));

    bobsKeysSurviveAlicesFlood(300);
    assertThat(up.count("/alice/pay")).isEqualTo(50);
    assertThat(pay("alice", "alice-299").json().get("code").asText()).isEqualTo("QUOTA_EXCEEDED");
  }
}
