package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.TestHttp.Res;
import io.reliapi.testing.TestYaml;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What two gateway instances sharing one Redis guarantee together (SPEC §3.3–§3.5), whatever that Redis is
 * (one server, a cluster, a primary behind Sentinel): a keyed request executes once across both and every
 * duplicate gets its answer, woken by the completion signal alone (the instances run on manual schedulers,
 * so no timer wakes a waiter); a reused key with another body is a conflict; a cached answer is a hit on the
 * other instance; a client's rate limit and a period budget hold across both. Real sockets, real
 * concurrency, real redis-server processes; retries and the breaker are off so every upstream call counted
 * is one execution.
 */
abstract class SharedStateContract {
  static final String JSON = "application/json";
  /**
   * {@code redis.timeout_ms} of the instances here. A burst of first requests opens a pool's worth of new
   * connections at once (in a cluster each command takes one to every primary; with TLS each is a handshake),
   * and each command waits for its own: on a loaded two-core CI box that took up to 2 s, past the default
   * 1000 ms, and every request of the burst got 503. These tests are about what happens once, not how fast.
   */
  static final int TIMEOUT_MS = 10_000;
  final MockUpstream up = MockUpstream.start();
  final List<AutoCloseable> opened = new ArrayList<>();

  /** Returns the {@code redis} block of gateway instance {@code instance} (0 or 1), as a YAML flow mapping. */
  abstract String redis(int instance);

  /** Returns how many keys match {@code pattern} in the whole Redis. */
  abstract int keyCount(String pattern);

  /** Returns the raw reply of {@code GET key}. */
  abstract String get(String key);

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : opened.reversed()) {
      closeable.close();
    }
    up.close();
  }

  GatewayHarness.Builder instance(int instance, String targetExtras) {
    return instanceOn(redis(instance), targetExtras);
  }

  /** Returns an instance on the Redis that {@code redisBlock} (a YAML flow mapping) names. */
  GatewayHarness.Builder instanceOn(String redisBlock, String targetExtras) {
    return GatewayHarness.yaml("""
        server: {drain_timeout_ms: 0}
        redis: %s
        targets:
          api:
            base_url: "%s"
            %s
            circuit: {enabled: false}
            cache: {ttl_s: 60}
        """.formatted(redisBlock, up.baseUrl(), TestYaml.NO_RETRIES) + targetExtras.indent(4));
  }

  GatewayHarness started(GatewayHarness.Builder builder) {
    GatewayHarness gateway = builder.start();
    opened.add(gateway);
    return gateway;
  }

  /** Two instances whose timers run only when a test advances them. */
  List<GatewayHarness> onManualTime(String targetExtras) {
    ManualClock clock = new ManualClock();
    return List.of(started(instance(0, targetExtras).clock(clock, ManualScheduler.manual(clock))),
        started(instance(1, targetExtras).clock(clock, ManualScheduler.manual(clock))));
  }

  static CompletableFuture<Res> post(GatewayHarness gw, String path, String body, String key) {
    return gw.http.postAsync(path, body, "Idempotency-Key", key, "Content-Type", JSON);
  }

  static List<Res> answers(List<CompletableFuture<Res>> sent) {
    return sent.stream().map(f -> f.orTimeout(30, TimeUnit.SECONDS).join()).toList();
  }

  static long replayed(List<Res> answers) {
    return answers.stream().filter(r -> "true".equals(r.header("Idempotent-Replayed"))).count();
  }

  @Test
  void sixtyConcurrentKeyedPostsOverTwoInstancesReachTheUpstreamOnceAndAllGetItsAnswer() {
    AtomicInteger calls = new AtomicInteger();
    up.otherwise("POST /pay", Behavior.delayed(400, Behavior.numbered(calls, 201)));
    List<GatewayHarness> both = onManualTime("");

    List<CompletableFuture<Res>> sent = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      sent.add(post(both.get(i % 2), "/t/api/pay", "{\"amount\":5}", "order-1"));
    }
    List<Res> answers = answers(sent);

    assertThat(up.count("/pay")).isEqualTo(1);
    assertThat(answers).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(201);
      assertThat(r.body()).isEqualTo("{\"call\":1}");
    });
    assertThat(replayed(answers)).isEqualTo(59);
  }

  @Test
  void anAnswerStoredByOneInstanceIsReplayedByTheOther() {
    AtomicInteger calls = new AtomicInteger();
    up.otherwise("POST /pay", Behavior.numbered(calls, 201));
    GatewayHarness a = started(instance(0, ""));
    GatewayHarness b = started(instance(1, ""));

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
    GatewayHarness a = started(instance(0, ""));
    GatewayHarness b = started(instance(1, ""));

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
    GatewayHarness a = started(instance(0, ""));
    GatewayHarness b = started(instance(1, ""));

    Res miss = a.http.get("/t/api/items?page=1");
    // The answer is stored after it went out (counted in the client's quota, then written).
    await().atMost(Duration.ofSeconds(5)).until(() -> keyCount("reliapi:cache:*") == 1);
    Res hit = b.http.get("/t/api/items?page=1");

    assertThat(miss.header("X-Cache-Hit")).isEqualTo("false");
    assertThat(hit.status()).isEqualTo(200);
    assertThat(hit.header("X-Cache-Hit")).isEqualTo("true");
    assertThat(hit.header("Age")).isNotNull();
    assertThat(hit.body()).isEqualTo("{\"items\":[1,2]}");
    assertThat(up.count("/items")).isEqualTo(1);
  }

  @Test
  void aClientRateLimitHoldsAcrossTwoInstancesInsteadOfDoubling() {
    String yaml = """
        redis: %s
        clients:
          - {name: batch, key_env: BATCH_KEY, rate_limit: {rps: 0.01, burst: 10}}
        targets:
          api: {base_url: "%s"}
        """;
    GatewayHarness a = started(GatewayHarness.yaml(yaml.formatted(redis(0), up.baseUrl()))
        .env("BATCH_KEY", "batch-secret"));
    GatewayHarness b = started(GatewayHarness.yaml(yaml.formatted(redis(1), up.baseUrl()))
        .env("BATCH_KEY", "batch-secret"));

    List<CompletableFuture<Res>> sent = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      sent.add((i % 2 == 0 ? a : b).http.getAsync("/t/api/report", "X-API-Key", "batch-secret"));
    }
    List<Res> answers = answers(sent);

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
        redis: %s
        clients:
          - {name: team, key_env: TEAM_KEY, budget: {monthly_usd: 10}}
        targets:
          openai:
            base_url: "%s/v1"
            %s
            circuit: {enabled: false}
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100, budget: {daily_usd: 0.000306}}
        """;
    GatewayHarness a = started(GatewayHarness.yaml(yaml.formatted(redis(0), up.baseUrl(), TestYaml.NO_RETRIES))
        .env("TEAM_KEY", "team-secret").clock(clock, ManualScheduler.manual(clock)));
    GatewayHarness b = started(GatewayHarness.yaml(yaml.formatted(redis(1), up.baseUrl(), TestYaml.NO_RETRIES))
        .env("TEAM_KEY", "team-secret").clock(clock, ManualScheduler.manual(clock)));
    Queue<MockUpstream.Call> held = new ConcurrentLinkedQueue<>();
    up.otherwise("POST /v1/chat/completions", held::add);

    String ask = "{\"target\": \"openai\", \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}";
    List<CompletableFuture<Res>> sent = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      sent.add((i % 2 == 0 ? a : b).http.postAsync("/proxy/llm", ask, "X-API-Key", "team-secret"));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> sent.stream().filter(CompletableFuture::isDone).count() == 45);
    assertThat(up.count("/v1/chat/completions")).isEqualTo(5);
    held.forEach(call -> call.request().response().putHeader("Content-Type", JSON)
        .end(LlmBehaviors.openAiCompletion("gpt-4o-mini", "Hi!", "stop", 8, 2)));
    List<Res> answers = answers(sent);

    assertThat(answers).filteredOn(r -> r.status() == 200).hasSize(5);
    assertThat(answers).filteredOn(r -> r.status() != 200).hasSize(45).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(429);
      assertThat(r.header("Retry-After")).isEqualTo("43200");
      assertThat(r.json().get("error").get("code").asText()).isEqualTo("BUDGET_EXHAUSTED");
    });
    // 5 × 0.0000024 USD, in nano-dollars.
    await().atMost(Duration.ofSeconds(5)).until(() ->
        get(Keys.budget("target:openai:d:2026-11-27")).endsWith("\r\n12000"));
    assertThat(get(Keys.budget("client:team:m:2026-11"))).endsWith("\r\n12000");
  }

  /**
   * A client's and a target's request limits per minute, reserved by one script over both keys, hold across
   * two instances: twenty calls spread over both against {@code rpm: 6} (client) and {@code rpm: 8} (target)
   * reach the provider six times; the others get 429 {@code RATE_LIMITED}.
   */
  @Test
  void anLlmRequestLimitOfAClientAndATargetHoldsAcrossTwoInstances() {
    ManualClock clock = new ManualClock();
    String yaml = """
        redis: %s
        clients:
          - {name: team, key_env: TEAM_KEY, limits: {rpm: 6}}
        targets:
          openai:
            base_url: "%s/v1"
            %s
            circuit: {enabled: false}
            retry_budget: {enabled: false}
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100, limits: {rpm: 8}}
        """;
    GatewayHarness a = started(GatewayHarness.yaml(yaml.formatted(redis(0), up.baseUrl(), TestYaml.NO_RETRIES))
        .env("TEAM_KEY", "team-secret").clock(clock, ManualScheduler.manual(clock)));
    GatewayHarness b = started(GatewayHarness.yaml(yaml.formatted(redis(1), up.baseUrl(), TestYaml.NO_RETRIES))
        .env("TEAM_KEY", "team-secret").clock(clock, ManualScheduler.manual(clock)));
    up.otherwise("POST /v1/chat/completions", LlmBehaviors.openAi("gpt-4o-mini", "Hi!", 8, 2));

    String ask = "{\"target\": \"openai\", \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}";
    List<CompletableFuture<Res>> sent = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sent.add((i % 2 == 0 ? a : b).http.postAsync("/proxy/llm", ask, "X-API-Key", "team-secret"));
    }
    List<Res> answers = answers(sent);

    assertThat(answers).filteredOn(r -> r.status() == 200).hasSize(6);
    assertThat(answers).filteredOn(r -> r.status() != 200).hasSize(14).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(429);
      assertThat(r.json().get("error").get("code").asText()).isEqualTo("RATE_LIMITED");
    });
    assertThat(up.count("/v1/chat/completions")).isEqualTo(6);
  }
}
