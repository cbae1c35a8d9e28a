package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.RedisServer;
import io.reliapi.testing.TcpProxy;
import io.reliapi.testing.TestHttp.Res;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateway instances on one Redis (SPEC §3.3–§3.4, issue 6): what one instance stores, the other
 * sees; a keyed request executes once across both; a dead instance's keys come free after the lease.
 * Real sockets, real concurrency, a real redis-server; retries and the breaker are off so every upstream
 * call counted is one execution.
 */
class TwoInstancesEndToEndTest {
  private static final String JSON = "application/json";
  private static RedisServer redis;
  private final MockUpstream up = MockUpstream.start();
  private final List<AutoCloseable> opened = new ArrayList<>();

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void emptyRedis() {
    redis.command("FLUSHALL");
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : opened.reversed()) {
      closeable.close();
    }
    up.close();
  }

  private GatewayHarness.Builder instance(String redisUrl, String targetExtras) {
    return GatewayHarness.yaml("""
        server: {drain_timeout_ms: 0}
        redis: {url: "%s"}
        targets:
          api:
            base_url: "%s"
            retry_matrix: {"429": {attempts: 1}, "5xx": {attempts: 1}, net: {attempts: 1}, timeout: {attempts: 1}}
            circuit: {enabled: false}
            cache: {ttl_s: 60}
        """.formatted(redisUrl, up.baseUrl()) + targetExtras.indent(4));
  }

  private GatewayHarness started(GatewayHarness.Builder builder) {
    GatewayHarness gateway = builder.start();
    opened.add(gateway);
    return gateway;
  }

  private static CompletableFuture<Res> post(GatewayHarness gw, String path, String body, String key) {
    return gw.http.postAsync(path, body, "Idempotency-Key", key, "Content-Type", JSON);
  }

  /** Answers {@code status} with a body naming the call: {"call":1} for the first, and so on. */
  private static Behavior numbered(AtomicInteger calls, int status) {
    return call -> call.request().response().setStatusCode(status).putHeader("Content-Type", JSON)
        .end("{\"call\":" + calls.incrementAndGet() + "}");
  }

  /** Returns the Redis key of an idempotency key sent by the anonymous caller to target {@code api}. */
  private static String recordOf(String key) {
    return "reliapi:idem:9:anonymous:api:" + key;
  }

  private static long replayed(List<Res> answers) {
    return answers.stream().filter(r -> "true".equals(r.header("Idempotent-Replayed"))).count();
  }

  @Test
  void hundredConcurrentKeyedPostsOverTwoInstancesReachTheUpstreamOnceAndAllGetItsAnswer() {
    AtomicInteger calls = new AtomicInteger();
    up.otherwise("POST /pay", Behavior.delayed(400, numbered(calls, 201)));
    GatewayHarness a = started(instance(redis.url(), ""));
    GatewayHarness b = started(instance(redis.url(), ""));

    List<CompletableFuture<Res>> sent = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      sent.add(post(i % 2 == 0 ? a : b, "/t/api/pay", "{\"amount\":5}", "order-1"));
    }
    List<Res> answers = sent.stream().map(CompletableFuture::join).toList();

    assertThat(up.count("/pay")).isEqualTo(1);
    assertThat(answers).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(201);
      assertThat(r.body()).isEqualTo("{\"call\":1}");
    });
    assertThat(replayed(answers)).isEqualTo(99);
  }

  @Test
  void anAnswerStoredByOneInstanceIsReplayedByTheOther() {
    AtomicInteger calls = new AtomicInteger();
    up.otherwise("POST /pay", numbered(calls, 201));
    GatewayHarness a = started(instance(redis.url(), ""));
    GatewayHarness b = started(instance(redis.url(), ""));

    Res first = post(a, "/t/api/pay", "{\"amount\":5}", "order-2").join();
    Res again = post(b, "/t/api/pay", "{\"amount\":5}", "order-2").join();

    assertThat(first.header("Idempotent-Replayed")).isNull();
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(up.count("/pay")).isEqualTo(1);
  }

  @Test
  void aKeyReusedWithAnotherBodyOnTheOtherInstanceIs422InFlightAndAfter() {
    up.otherwise("POST /pay", Behavior.delayed(600, Behavior.json(201, "{\"ok\":true}")));
    GatewayHarness a = started(instance(redis.url(), ""));
    GatewayHarness b = started(instance(redis.url(), ""));

    CompletableFuture<Res> first = post(a, "/t/api/pay", "{\"amount\":5}", "order-3");
    await().atMost(Duration.ofSeconds(5)).until(() -> up.count("/pay") == 1);
    Res whileRunning = post(b, "/t/api/pay", "{\"amount\":500}", "order-3").join();
    assertThat(first.join().status()).isEqualTo(201);
    Res afterwards = post(b, "/t/api/pay", "{\"amount\":500}", "order-3").join();

    for (Res conflict : List.of(whileRunning, afterwards)) {
      assertThat(conflict.status()).isEqualTo(422);
      assertThat(conflict.json().get("code").asText()).isEqualTo("IDEMPOTENCY_CONFLICT");
    }
    assertThat(up.count("/pay")).isEqualTo(1);
  }

  @Test
  void aGetCachedByOneInstanceIsAHitOnTheOther() {
    up.otherwise("GET /items", Behavior.json(200, "{\"items\":[1,2]}"));
    GatewayHarness a = started(instance(redis.url(), ""));
    GatewayHarness b = started(instance(redis.url(), ""));

    Res miss = a.http.get("/t/api/items?page=1");
    // A cache write lands in Redis just after the answer's last byte (it never delays the client), so the other
    // instance is asked once the entry is there.
    await().untilAsserted(() -> assertThat(redis.command("KEYS reliapi:cache:api:*")).contains("reliapi:cache"));
    Res hit = b.http.get("/t/api/items?page=1");

    assertThat(miss.header("X-Cache-Hit")).isEqualTo("false");
    assertThat(hit.status()).isEqualTo(200);
    assertThat(hit.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(hit.header("Age")).isNotNull();
    assertThat(hit.body()).isEqualTo("{\"items\":[1,2]}");
    assertThat(up.count("/items")).isEqualTo(1);
  }

  /**
   * The leader's instance loses Redis and stops mid-call, saying nothing; the followers on the other
   * instance wait one lease, then — the target deduplicates by the forwarded key — exactly one takes
   * the key over and executes, and the rest get its answer.
   */
  @Test
  void aLeaderThatDiesFreesItsKeyAfterTheLeaseAndExactlyOneFollowerTakesOver() {
    ManualClock clock = new ManualClock();
    ManualScheduler schedulerA = ManualScheduler.manual(clock);
    ManualScheduler schedulerB = ManualScheduler.manual(clock);
    TcpProxy partition = TcpProxy.to(redis.port());
    opened.add(partition);
    String forward = "idempotency: {forward_header: Idempotency-Key}";
    GatewayHarness a = instance("redis://127.0.0.1:" + partition.port() + "/0", forward)
        .clock(clock, schedulerA).start();
    GatewayHarness b = started(instance(redis.url(), forward).clock(clock, schedulerB));
    AtomicInteger calls = new AtomicInteger();
    up.script("POST /pay", Behavior.silence());
    up.otherwise("POST /pay", numbered(calls, 201));

    CompletableFuture<Res> leader = post(a, "/t/api/pay", "{\"amount\":5}", "order-4");
    await().atMost(Duration.ofSeconds(5)).until(() -> up.count("/pay") == 1);
    List<CompletableFuture<Res>> followers = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      followers.add(post(b, "/t/api/pay", "{\"amount\":5}", "order-4"));
    }
    // Each follower waits, at most until the leader's lease would run out.
    await().atMost(Duration.ofSeconds(5)).until(() -> schedulerB.pendingCount() == 10);

    partition.cut();
    a.close();
    assertThat(leader.handle((r, e) -> r == null || r.status() >= 500).join()).isTrue();
    assertThat(redis.command("HGET " + recordOf("order-4") + " s")).as("the dead leader's claim").endsWith("r");
    assertThat(followers).noneMatch(CompletableFuture::isDone);
    schedulerB.advance(Duration.ofMillis(RedisIdempotencyStore.LEASE_MS + 1));
    List<Res> answers = followers.stream().map(CompletableFuture::join).toList();

    assertThat(answers).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(201);
      assertThat(r.body()).isEqualTo("{\"call\":1}");
    });
    assertThat(replayed(answers)).isEqualTo(9);
    assertThat(up.count("/pay")).isEqualTo(2);
    assertThat(up.countKey("order-4")).isEqualTo(2);
  }

  /** Without the key forwarded, a dead leader's request may have acted: its key's outcome is unknown. */
  @Test
  void aLeaderThatDiesWithoutTheKeyForwardedLeavesTheOutcomeUnknown() {
    ManualClock clock = new ManualClock();
    ManualScheduler schedulerB = ManualScheduler.manual(clock);
    TcpProxy partition = TcpProxy.to(redis.port());
    opened.add(partition);
    GatewayHarness a = instance("redis://127.0.0.1:" + partition.port() + "/0", "")
        .clock(clock, ManualScheduler.manual(clock)).start();
    GatewayHarness b = started(instance(redis.url(), "").clock(clock, schedulerB));
    up.script("POST /pay", Behavior.silence());

    CompletableFuture<Res> leader = post(a, "/t/api/pay", "{}", "order-5");
    await().atMost(Duration.ofSeconds(5)).until(() -> up.count("/pay") == 1);
    List<CompletableFuture<Res>> followers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      followers.add(post(b, "/t/api/pay", "{}", "order-5"));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> schedulerB.pendingCount() == 3);
    partition.cut();
    a.close();
    leader.handle((r, e) -> null).join();
    assertThat(redis.command("HGET " + recordOf("order-5") + " s")).as("the dead leader's claim").endsWith("r");
    schedulerB.advance(Duration.ofMillis(RedisIdempotencyStore.LEASE_MS + 1));

    assertThat(followers.stream().map(CompletableFuture::join)).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(504);
      assertThat(r.json().get("code").asText()).isEqualTo("IDEMPOTENCY_OUTCOME_UNKNOWN");
    });
    assertThat(post(b, "/t/api/pay", "{}", "order-5").join().status()).isEqualTo(504);
    assertThat(up.count("/pay")).isEqualTo(1);
  }

  /**
   * A leader whose upstream call takes three leases and more keeps its key: it renews the lease every
   * third of it, and the followers, waking when the lease would end, find it renewed and wait on.
   */
  @Test
  void aLiveLeaderKeepsItsKeyPastThreeLeasesByRenewingIt() {
    ManualClock clock = new ManualClock();
    ManualScheduler schedulerA = ManualScheduler.manual(clock);
    ManualScheduler schedulerB = ManualScheduler.manual(clock);
    String patient = "idempotency: {coalesce_timeout_s: 60}";
    GatewayHarness a = started(instance(redis.url(), patient).clock(clock, schedulerA));
    GatewayHarness b = started(instance(redis.url(), patient).clock(clock, schedulerB));
    CompletableFuture<MockUpstream.Call> held = new CompletableFuture<>();
    up.script("POST /pay", held::complete);

    CompletableFuture<Res> leader = post(a, "/t/api/pay", "{}", "order-6");
    held.join();
    await().atMost(Duration.ofSeconds(5)).until(() -> schedulerA.pendingCount() == 1);
    List<CompletableFuture<Res>> followers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      followers.add(post(b, "/t/api/pay", "{}", "order-6"));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> schedulerB.pendingCount() == 5);

    long third = RedisIdempotencyStore.LEASE_MS / 3 + 100;
    for (long passed = 0; passed < 3 * RedisIdempotencyStore.LEASE_MS + 1_000; passed += third) {
      schedulerA.advance(Duration.ofMillis(third));
      await().atMost(Duration.ofSeconds(5)).until(() -> schedulerA.pendingCount() == 1);
      schedulerB.advance(Duration.ZERO);
      await().atMost(Duration.ofSeconds(5)).until(() -> schedulerB.pendingCount() == 5);
      assertThat(followers).noneMatch(CompletableFuture::isDone);
    }
    held.join().request().response().setStatusCode(201).putHeader("Content-Type", JSON).end("{\"late\":true}");

    assertThat(leader.join().status()).isEqualTo(201);
    assertThat(followers.stream().map(CompletableFuture::join)).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(201);
      assertThat(r.body()).isEqualTo("{\"late\":true}");
      assertThat(r.header("Idempotent-Replayed")).isEqualTo("true");
    });
    assertThat(up.count("/pay")).isEqualTo(1);
  }

  @Test
  void aClientRateLimitHoldsAcrossTwoInstancesInsteadOfDoubling() {
    String yaml = """
        redis: {url: "%s"}
        clients:
          - {name: batch, key_env: BATCH_KEY, rate_limit: {rps: 0.01, burst: 10}}
        targets:
          api: {base_url: "%s"}
        """.formatted(redis.url(), up.baseUrl());
    GatewayHarness a = started(GatewayHarness.yaml(yaml).env("BATCH_KEY", "batch-secret"));
    GatewayHarness b = started(GatewayHarness.yaml(yaml).env("BATCH_KEY", "batch-secret"));

    List<CompletableFuture<Res>> sent = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      sent.add((i % 2 == 0 ? a : b).http.getAsync("/t/api/report", "X-API-Key", "batch-secret"));
    }
    List<Res> answers = sent.stream().map(CompletableFuture::join).toList();

    assertThat(answers.stream().filter(r -> r.status() == 200).count()).isEqualTo(10);
    assertThat(answers).filteredOn(r -> r.status() != 200).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(429);
      assertThat(r.json().get("code").asText()).isEqualTo("RATE_LIMITED");
      assertThat(Long.parseLong(r.header("Retry-After"))).isBetween(1L, 100L);
    });
    assertThat(up.count("/report")).isEqualTo(10);
  }

  /**
   * Fifty concurrent LLM calls spread over two instances against a daily budget that affords five
   * estimates (0.0000612 USD each: 8 prompt tokens, max_tokens 100 on gpt-4o-mini): five reach the
   * provider, 45 get 429 with the seconds until midnight UTC; once the five are answered (8 + 2 tokens,
   * 0.0000024 USD each) the shared ledger holds exactly the sum of their actual costs.
   */
  @Test
  void fiftyLlmCallsOverTwoInstancesAgainstABudgetForFiveSpendNoMoreThanItAllows() {
    ManualClock clock = new ManualClock();
    String yaml = """
        redis: {url: "%s"}
        clients:
          - {name: team, key_env: TEAM_KEY, budget: {monthly_usd: 10}}
        targets:
          openai:
            base_url: "%s/v1"
            retry_matrix: {"429": {attempts: 1}, "5xx": {attempts: 1}, net: {attempts: 1}, timeout: {attempts: 1}}
            circuit: {enabled: false}
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100, budget: {daily_usd: 0.000306}}
        """.formatted(redis.url(), up.baseUrl());
    GatewayHarness a = started(GatewayHarness.yaml(yaml).env("TEAM_KEY", "team-secret")
        .clock(clock, ManualScheduler.manual(clock)));
    GatewayHarness b = started(GatewayHarness.yaml(yaml).env("TEAM_KEY", "team-secret")
        .clock(clock, ManualScheduler.manual(clock)));
    java.util.Queue<MockUpstream.Call> held = new java.util.concurrent.ConcurrentLinkedQueue<>();
    up.otherwise("POST /v1/chat/completions", held::add);

    String ask = "{\"target\": \"openai\", \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}";
    List<CompletableFuture<Res>> sent = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      sent.add((i % 2 == 0 ? a : b).http.postAsync("/proxy/llm", ask, "X-API-Key", "team-secret"));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> sent.stream().filter(CompletableFuture::isDone).count() == 45);
    assertThat(up.count("/v1/chat/completions")).isEqualTo(5);
    held.forEach(call -> call.request().response().putHeader("Content-Type", JSON)
        .end(io.reliapi.testing.LlmBehaviors.openAiCompletion("gpt-4o-mini", "Hi!", "stop", 8, 2)));
    List<Res> answers = sent.stream().map(CompletableFuture::join).toList();

    assertThat(answers).filteredOn(r -> r.status() == 200).hasSize(5);
    assertThat(answers).filteredOn(r -> r.status() != 200).hasSize(45).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(429);
      assertThat(r.header("Retry-After")).isEqualTo("43200");
      assertThat(r.json().get("error").get("code").asText()).isEqualTo("BUDGET_EXHAUSTED");
    });
    // 5 × 0.0000024 USD, in nano-dollars.
    await().atMost(Duration.ofSeconds(5)).until(() ->
        redis.command("GET reliapi:budget:target:openai:d:2026-11-27").endsWith("\r\n12000"));
    assertThat(redis.command("GET reliapi:budget:client:team:m:2026-11")).endsWith("\r\n12000");
  }
}
