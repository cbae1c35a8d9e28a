package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LogCapture;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.RedisServer;
import io.reliapi.testing.TestHttp.Res;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Redis is slow, not gone (issue 11, item 9): a keyed request's claim runs out of time on the gateway
 * while Redis sleeps ({@code DEBUG SLEEP}), and Redis runs it once it wakes. The request gets 503
 * {@code STORE_UNAVAILABLE}, nothing goes upstream, and the client's retry with the same key executes
 * exactly once — on the same instance or another — instead of finding a claim nobody holds. Many claims
 * running out of time together are one slow moment: Redis stays in use.
 */
class SlowRedisEndToEndTest {
  private static final String JSON = "application/json";
  private final RedisServer redis = RedisServer.start();
  private final MockUpstream up = MockUpstream.start();
  private final AtomicInteger calls = new AtomicInteger();
  private final List<GatewayHarness> gateways = new ArrayList<>();

  @AfterEach
  void stop() {
    gateways.forEach(GatewayHarness::close);
    up.close();
    redis.close();
  }

  private GatewayHarness gateway() {
    up.otherwise("POST /pay", call -> call.request().response().setStatusCode(201).putHeader("Content-Type", JSON)
        .end("{\"call\":" + calls.incrementAndGet() + "}"));
    GatewayHarness gateway = GatewayHarness.yaml("""
        redis: {url: "%s", timeout_ms: 300}
        targets:
          api:
            base_url: "%s"
            idempotency: {coalesce_timeout_s: 5}
        """.formatted(redis.url(), up.baseUrl())).start();
    gateways.add(gateway);
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.http.get("/readyz").status() == 200);
    return gateway;
  }

  private static Res pay(GatewayHarness gw, String key) {
    return gw.http.post("/t/api/pay", "{\"amount\":1}", "Idempotency-Key", key, "Content-Type", JSON);
  }

  /**
   * Sends a keyed POST while Redis sleeps longer than the time limit; it fails without reaching the
   * upstream. A keyed POST before it loads the claim script into Redis, as any earlier request would have.
   */
  private void payWhileRedisSleeps(GatewayHarness gw, String key) {
    assertThat(pay(gw, "earlier").status()).isEqualTo(201);
    Socket sleeper = redis.sleep(1.5);
    Res lost = pay(gw, key);
    assertThat(lost.status()).isEqualTo(503);
    assertThat(lost.json().get("code").asText()).isEqualTo("STORE_UNAVAILABLE");
    RedisServer.awaitWaking(sleeper);
    assertThat(up.count("/pay")).isEqualTo(1);
  }

  @Test
  void theRetryOfAKeyedRequestWhoseClaimRanOutOfTimeExecutesOnce() {
    GatewayHarness gw = gateway();
    payWhileRedisSleeps(gw, "order-1");
    await().atMost(Duration.ofSeconds(10)).until(() -> gw.http.get("/readyz").status() == 200);

    Res retry = pay(gw, "order-1");
    assertThat(retry.status()).isEqualTo(201);
    assertThat(retry.header("Idempotent-Replayed")).isNull();
    Res again = pay(gw, "order-1");
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.body()).isEqualTo(retry.body());
    assertThat(up.count("/pay")).isEqualTo(2);
  }

  @Test
  void aRetrySentToAnotherInstanceExecutesOnceToo() {
    GatewayHarness a = gateway();
    GatewayHarness b = gateway();
    payWhileRedisSleeps(a, "order-2");
    await().atMost(Duration.ofSeconds(10)).until(() -> b.http.get("/readyz").status() == 200);

    List<CompletableFuture<Res>> retries = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      retries.add(b.http.postAsync("/t/api/pay", "{\"amount\":1}", "Idempotency-Key", "order-2",
          "Content-Type", JSON));
    }
    List<Res> answers = retries.stream().map(CompletableFuture::join).toList();
    assertThat(answers).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(201);
      assertThat(r.body()).isEqualTo("{\"call\":2}");
    });
    assertThat(up.count("/pay")).isEqualTo(2);
  }

  /**
   * Ten keyed requests at once whose claims all run out of time together (Redis holds back writes here; on a
   * busy machine a burst of new connections can hold up every command in flight alike): each fails alone with
   * 503, and Redis is not counted down — {@code /readyz} stays 200 and the next request uses Redis.
   */
  @Test
  void aBurstOfClaimsRunningOutOfTimeTogetherLeavesRedisInUse() {
    GatewayHarness gw = gateway();
    assertThat(pay(gw, "earlier").status()).isEqualTo(201);
    try (LogCapture logs = LogCapture.capture()) {
      redis.command("CLIENT PAUSE 5000 WRITE");
      List<CompletableFuture<Res>> burst = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        burst.add(gw.http.postAsync("/t/api/pay", "{\"amount\":1}", "Idempotency-Key", "burst-" + i,
            "Content-Type", JSON));
      }
      assertThat(burst.stream().map(CompletableFuture::join).toList()).allSatisfy(r -> {
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.json().get("code").asText()).isEqualTo("STORE_UNAVAILABLE");
      });

      assertThat(gw.http.get("/readyz").status()).isEqualTo(200);
      assertThat(logs.all()).doesNotContain("Redis is unavailable");
    } finally {
      redis.command("CLIENT UNPAUSE");
    }
    assertThat(pay(gw, "after").status()).isEqualTo(201);
    assertThat(up.count("/pay")).isEqualTo(2);
  }
}
