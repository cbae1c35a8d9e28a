package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.RedisServer;
import io.reliapi.testing.TestHttp.Res;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis answers, but refuses what the gateway asks: {@code -READONLY} (the URL still names a primary that a failover
 * turned into a replica), {@code -OOM} (full under {@code noeviction}), {@code -NOSCRIPT} (its scripts flushed). A
 * refused write fails its own request as an outage would (503 {@code STORE_UNAVAILABLE}, nothing sent upstream, a
 * cache write skipped) and nothing is executed twice once Redis takes writes again.
 */
class RedisRefusesWritesEndToEndTest {
  private static final String JSON = "application/json";
  private final RedisServer redis = RedisServer.start();
  private final MockUpstream up = MockUpstream.start();
  private final AtomicInteger calls = new AtomicInteger();
  private GatewayHarness gw;

  @BeforeEach
  void start() {
    up.otherwise("POST /pay", Behavior.numbered(calls, 201));
    up.otherwise("GET /items", Behavior.json(200, "{\"items\":[1]}"));
    gw = GatewayHarness.yaml("""
        redis: {url: "%s", timeout_ms: 2000}
        clients:
          - {name: shop, key_env: SHOP_KEY, rate_limit: {rps: 100, burst: 100}}
        targets:
          api:
            base_url: "%s"
            cache: {ttl_s: 300}
        """.formatted(redis.url(), up.baseUrl())).env("SHOP_KEY", "shop-secret").start();
    await().atMost(Duration.ofSeconds(10)).until(() -> gw.http.get("/readyz").status() == 200);
  }

  @AfterEach
  void stop() {
    gw.close();
    up.close();
    redis.close();
  }

  private Res pay(String key) {
    return gw.http.post("/t/api/pay", "{\"amount\":1}", "X-API-Key", "shop-secret", "Idempotency-Key", key,
        "Content-Type", JSON);
  }

  private void refusedWithNothingSent(Res refused) {
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.json().get("code").asText()).isEqualTo("STORE_UNAVAILABLE");
  }

  @Test
  void aPrimaryTurnedReplicaRefusesEveryGuaranteeAndTheKeyExecutesOnceAfterwards() {
    Res before = pay("before");
    assertThat(before.status()).isEqualTo(201);
    // A replica of a primary that is gone: it answers reads and PING, and refuses every write.
    redis.command("REPLICAOF 127.0.0.1 1");

    refusedWithNothingSent(pay("during"));
    refusedWithNothingSent(gw.http.get("/t/api/items", "X-API-Key", "shop-secret"));
    assertThat(up.count("/pay")).isEqualTo(1);

    redis.command("REPLICAOF NO ONE");
    assertThat(pay("before").header("Idempotent-Replayed")).isEqualTo("true");
    Res during = pay("during");
    assertThat(during.status()).isEqualTo(201);
    assertThat(pay("during").body()).isEqualTo(during.body());
    assertThat(up.count("/pay")).isEqualTo(2);
  }

  @Test
  void aFullRedisRefusesNewKeysAndTheKeyExecutesOnceAfterwards() {
    assertThat(pay("before").status()).isEqualTo(201);
    redis.command("CONFIG SET maxmemory-policy noeviction");
    redis.command("CONFIG SET maxmemory 1");

    refusedWithNothingSent(pay("during"));
    assertThat(up.count("/pay")).isEqualTo(1);

    redis.command("CONFIG SET maxmemory 0");
    Res during = pay("during");
    assertThat(during.status()).isEqualTo(201);
    assertThat(pay("during").header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(up.count("/pay")).isEqualTo(2);
  }

  @Test
  void flushedScriptsAreSentAgainBySource() {
    Res first = pay("k1");
    redis.command("SCRIPT FLUSH");
    assertThat(pay("k1").header("Idempotent-Replayed")).isEqualTo("true");
    redis.command("SCRIPT FLUSH");
    assertThat(pay("k2").status()).isEqualTo(201);
    assertThat(gw.http.get("/t/api/items", "X-API-Key", "shop-secret").status()).isEqualTo(200);
    assertThat(first.status()).isEqualTo(201);
    assertThat(up.count("/pay")).isEqualTo(2);
  }
}
