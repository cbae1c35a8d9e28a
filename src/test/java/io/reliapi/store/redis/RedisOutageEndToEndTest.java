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
import org.junit.jupiter.api.Test;

/**
 * Redis stops in the middle of a test and starts again (SPEC §7): liveness stays up, readiness follows
 * Redis, the cache turns into misses, guarantees follow {@code redis.on_unavailable}, and once Redis is
 * back the gateway uses it again by itself, with nothing stored before the outage lost.
 */
class RedisOutageEndToEndTest {
  private static final String JSON = "application/json";
  private final RedisServer redis = RedisServer.start();
  private final MockUpstream up = MockUpstream.start();
  private final AtomicInteger calls = new AtomicInteger();
  private GatewayHarness gw;

  @AfterEach
  void stop() {
    if (gw != null) {
      gw.close();
    }
    up.close();
    redis.close();
  }

  /** Starts a gateway whose client has a rate limit, so every request of it needs Redis for a guarantee. */
  private void start(String onUnavailable) {
    startWith("""
        redis: {url: "%s", on_unavailable: %s, timeout_ms: 500}
        clients:
          - {name: shop, key_env: SHOP_KEY, rate_limit: {rps: 100, burst: 100}}
        """.formatted(redis.url(), onUnavailable));
  }

  private void startWith(String topLevel) {
    up.otherwise("* /pay", call -> call.request().response().setStatusCode(201).putHeader("Content-Type", JSON)
        .end("{\"call\":" + calls.incrementAndGet() + "}"));
    up.otherwise("GET /items", Behavior.json(200, "{\"items\":[1]}"));
    gw = GatewayHarness.yaml(topLevel + """
        targets:
          api:
            base_url: "%s"
            cache: {ttl_s: 300}
        """.formatted(up.baseUrl())).env("SHOP_KEY", "shop-secret").start();
  }

  private Res pay(String key) {
    return gw.http.post("/t/api/pay", "{\"amount\":1}", "X-API-Key", "shop-secret", "Idempotency-Key", key,
        "Content-Type", JSON);
  }

  private Res items() {
    return gw.http.get("/t/api/items", "X-API-Key", "shop-secret");
  }

  private void outage() {
    redis.stop();
    await().atMost(Duration.ofSeconds(5)).until(() -> gw.http.get("/readyz").status() == 503);
  }

  /** The answer is stored after it went out (counted in the client's quota, then written). */
  private void awaitCached() {
    await().atMost(Duration.ofSeconds(5)).until(() -> redis.keyCount("reliapi:cache:*") == 1);
  }

  private void recovery() {
    redis.restart();
    await().atMost(Duration.ofSeconds(10)).until(() -> gw.http.get("/readyz").status() == 200);
  }

  @Test
  void failClosedRefusesKeyedAndRateLimitedRequestsWhileRedisIsDownAndRecoversByItself() {
    start("fail_closed");
    assertThat(gw.http.get("/readyz").status()).isEqualTo(200);
    Res before = pay("before-outage");
    assertThat(items().header("X-Cache-Hit")).isEqualTo("false");
    awaitCached();
    assertThat(items().header("X-Cache-Hit")).isEqualTo("true");

    outage();
    assertThat(gw.http.get("/healthz").status()).isEqualTo(200);
    Res refused = pay("during-outage");
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.header("Retry-After")).isEqualTo("1");
    assertThat(refused.json().get("code").asText()).isEqualTo("STORE_UNAVAILABLE");
    // The client's rate limit is shared through Redis too, so even an unkeyed request is refused.
    Res miss = items();
    assertThat(miss.status()).isEqualTo(503);
    assertThat(up.count("/pay")).isEqualTo(1);
    Res models = gw.http.get("/v1/models", "X-API-Key", "shop-secret");
    assertThat(models.status()).as("the model list takes a token like any route").isEqualTo(503);
    assertThat(models.header("Retry-After")).isEqualTo("1");

    recovery();
    Res replay = pay("before-outage");
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(replay.body()).isEqualTo(before.body());
    assertThat(items().header("X-Cache-Hit")).isEqualTo("true");
    assertThat(pay("after-outage").status()).isEqualTo(201);
    assertThat(up.count("/pay")).isEqualTo(2);
  }

  @Test
  void degradeRunsGuaranteesOnLocalStateMarkedAndCountedAndTheCacheTurnsIntoMisses() {
    start("degrade");
    Res before = pay("before-outage");
    items();
    awaitCached();
    assertThat(items().header("X-Cache-Hit")).isEqualTo("true");

    outage();
    Res local = pay("during-outage");
    assertThat(local.status()).isEqualTo(201);
    assertThat(local.header("X-ReliAPI-Degraded")).isEqualTo("store-unavailable");
    Res localReplay = pay("during-outage");
    assertThat(localReplay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(localReplay.header("X-ReliAPI-Degraded")).isEqualTo("store-unavailable");
    int upstreamBefore = up.count("/items");
    Res miss = items();
    assertThat(miss.status()).isEqualTo(200);
    assertThat(miss.header("X-Cache-Hit")).isEqualTo("false");
    assertThat(miss.header("X-ReliAPI-Degraded")).isEqualTo("store-unavailable");
    assertThat(up.count("/items")).isEqualTo(upstreamBefore + 1);
    assertThat(gw.http.get("/metrics").body())
        .contains("reliapi_degraded_requests_total{target=\"api\"} 3.0");
    Res models = gw.http.get("/v1/models", "X-API-Key", "shop-secret");
    assertThat(models.status()).isEqualTo(200);
    assertThat(models.header("X-ReliAPI-Degraded")).as("its token came from local state").isEqualTo("store-unavailable");

    recovery();
    Res replay = pay("before-outage");
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(replay.body()).isEqualTo(before.body());
    assertThat(replay.header("X-ReliAPI-Degraded")).isNull();
    Res hit = items();
    assertThat(hit.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(hit.header("X-ReliAPI-Degraded")).isNull();
  }

  @Test
  void requestsWithoutAGuaranteeToKeepAreServedThroughoutTheOutage() {
    startWith("redis: {url: \"%s\"}\n".formatted(redis.url()));
    gw.http.get("/t/api/items");
    outage();
    for (int i = 0; i < 3; i++) {
      Res miss = gw.http.get("/t/api/items");
      assertThat(miss.status()).isEqualTo(200);
      assertThat(miss.header("X-Cache-Hit")).isEqualTo("false");
      assertThat(gw.http.post("/t/api/pay", "{}").status()).isEqualTo(201);
    }
    assertThat(up.count("/items")).isEqualTo(4);
  }

  @Test
  void aGatewayStartsWhileRedisIsDownAndIsReadyOnceRedisAnswers() {
    redis.stop();
    start("fail_closed");
    assertThat(gw.http.get("/healthz").status()).isEqualTo(200);
    assertThat(gw.http.get("/readyz").status()).isEqualTo(503);
    assertThat(pay("early").status()).isEqualTo(503);

    recovery();
    assertThat(pay("early").status()).isEqualTo(201);
    assertThat(pay("early").header("Idempotent-Replayed")).isEqualTo("true");
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"fail_closed", "degrade"})
  void periodBudgetsFollowOnUnavailable(String onUnavailable) {
    up.otherwise("POST /v1/chat/completions", io.reliapi.testing.LlmBehaviors.openAi("gpt-4o-mini", "Hi!", 8, 2));
    gw = GatewayHarness.yaml("""
        redis: {url: "%s", on_unavailable: %s, timeout_ms: 500}
        targets:
          openai:
            base_url: "%s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100, budget: {daily_usd: 1}}
        """.formatted(redis.url(), onUnavailable, up.baseUrl())).start();
    String ask = "{\"target\": \"openai\", \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}";
    assertThat(gw.http.post("/proxy/llm", ask).status()).isEqualTo(200);

    outage();
    Res during = gw.http.post("/proxy/llm", ask);
    if (onUnavailable.equals("fail_closed")) {
      assertThat(during.status()).isEqualTo(503);
      assertThat(during.header("Retry-After")).isEqualTo("1");
      assertThat(during.json().get("error").get("code").asText()).isEqualTo("STORE_UNAVAILABLE");
      assertThat(up.count("/v1/chat/completions")).isEqualTo(1);
    } else {
      assertThat(during.status()).isEqualTo(200);
      assertThat(during.header("X-ReliAPI-Degraded")).isEqualTo("store-unavailable");
      assertThat(up.count("/v1/chat/completions")).isEqualTo(2);
    }

    recovery();
    Res after = gw.http.post("/proxy/llm", ask);
    assertThat(after.status()).isEqualTo(200);
    assertThat(after.header("X-ReliAPI-Degraded")).isNull();
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"fail_closed", "degrade"})
  void llmLimitsFollowOnUnavailable(String onUnavailable) {
    up.otherwise("POST /v1/chat/completions", io.reliapi.testing.LlmBehaviors.openAi("gpt-4o-mini", "Hi!", 8, 2));
    gw = GatewayHarness.yaml("""
        redis: {url: "%s", on_unavailable: %s, timeout_ms: 500}
        targets:
          openai:
            base_url: "%s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100, limits: {rpm: 100}}
        """.formatted(redis.url(), onUnavailable, up.baseUrl())).start();
    String ask = "{\"target\": \"openai\", \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}";
    assertThat(gw.http.post("/proxy/llm", ask).status()).isEqualTo(200);

    outage();
    Res during = gw.http.post("/proxy/llm", ask);
    if (onUnavailable.equals("fail_closed")) {
      assertThat(during.status()).isEqualTo(503);
      assertThat(during.json().get("error").get("code").asText()).isEqualTo("STORE_UNAVAILABLE");
      assertThat(up.count("/v1/chat/completions")).isEqualTo(1);
    } else {
      assertThat(during.status()).isEqualTo(200);
      assertThat(during.header("X-ReliAPI-Degraded")).isEqualTo("store-unavailable");
      assertThat(up.count("/v1/chat/completions")).isEqualTo(2);
    }

    recovery();
    assertThat(gw.http.post("/proxy/llm", ask).header("X-ReliAPI-Degraded")).isNull();
  }

  /** A Redis that stops answering (here: all clients paused) is down after redis.timeout_ms, not later. */
  @Test
  void aStalledRedisCountsAsDownAfterTheCommandTimeoutAndNoRequestWaitsForIt() throws Exception {
    startWith("redis: {url: \"%s\", timeout_ms: 200}\n".formatted(redis.url()));
    assertThat(pay("before-stall").status()).isEqualTo(201);

    redis.command("CLIENT PAUSE 2500");
    var stalled = gw.http.postAsync("/t/api/pay", "{\"amount\":1}", "Idempotency-Key", "during-stall",
        "Content-Type", JSON);
    Res refused = stalled.get(1500, java.util.concurrent.TimeUnit.MILLISECONDS);
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.json().get("code").asText()).isEqualTo("STORE_UNAVAILABLE");
    assertThat(gw.http.getAsync("/readyz").get(1500, java.util.concurrent.TimeUnit.MILLISECONDS).status()).isEqualTo(503);

    await().atMost(Duration.ofSeconds(10)).until(() -> gw.http.get("/readyz").status() == 200);
    assertThat(pay("after-stall").status()).isEqualTo(201);
    assertThat(up.count("/pay")).isEqualTo(2);
  }

  /**
   * One command that runs out of time fails its own request only (issue 11, item 9): Redis stays in use
   * and the instance ready. {@code CLIENT PAUSE ... WRITE} holds back scripts while PING and reads answer.
   */
  @Test
  void oneSlowCommandFailsOnlyItsOwnRequestAndReadinessStaysUp() {
    startWith("redis: {url: \"%s\", timeout_ms: 1000}\n".formatted(redis.url()));
    assertThat(pay("before-pause").status()).isEqualTo(201);
    // The answer is written to the cache after it went out; it must be there before writes pause.
    await().atMost(Duration.ofSeconds(5)).until(() -> "true".equals(items().header("X-Cache-Hit")));

    redis.command("CLIENT PAUSE 5000 WRITE");
    Res slow = pay("during-pause");
    assertThat(slow.status()).isEqualTo(503);
    assertThat(slow.json().get("code").asText()).isEqualTo("STORE_UNAVAILABLE");
    assertThat(gw.http.get("/readyz").status()).isEqualTo(200);
    Res hit = items();
    assertThat(hit.status()).isEqualTo(200);
    assertThat(hit.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(gw.http.get("/readyz").status()).isEqualTo(200);

    redis.command("CLIENT UNPAUSE");
    assertThat(pay("after-pause").status()).isEqualTo(201);
    assertThat(up.count("/pay")).isEqualTo(2);
  }
}
