package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LlmBehaviors;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.RedisMonitor;
import io.reliapi.testing.RedisServer;
import io.reliapi.testing.TestHttp.Res;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How many Redis round trips each guarantee costs a request (issue 17, item 5), counted by Redis itself
 * ({@code MONITOR}: one line per command a client sent; what a script does inside counts as nothing more).
 * The hot path is everything before the upstream sees the request: one command per guarantee there. What
 * runs after the answer went out (storing an outcome, settling a budget, writing a cache entry) is counted
 * too. Every scenario runs once first, so each script is loaded (a script's first use on a Redis costs an
 * EVALSHA answered NOSCRIPT and an EVAL).
 */
class RoundTripsTest {
  private static final String EVALSHA = "EVALSHA";
  private static RedisServer redis;
  private static RedisMonitor monitor;
  private static final MockUpstream up = MockUpstream.start();
  private static GatewayHarness gw;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    gw = GatewayHarness.yaml("""
        server: {drain_timeout_ms: 0}
        redis: {url: "%s"}
        clients:
          - {name: plain, key_env: PLAIN_KEY}
          - {name: limited, key_env: LIMITED_KEY, rate_limit: {rps: 1000, burst: 1000}}
          - {name: budgeted, key_env: BUDGETED_KEY, budget: {daily_usd: 100}}
          - {name: everything, key_env: EVERYTHING_KEY, rate_limit: {rps: 1000, burst: 1000}, budget: {daily_usd: 100}}
        targets:
          api: {base_url: "%s", cache: {ttl_s: 60}}
          openai:
            base_url: "%s/v1"
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100}
        """.formatted(redis.url(), up.baseUrl(), up.baseUrl()))
        .env("PLAIN_KEY", "plain").env("LIMITED_KEY", "limited").env("BUDGETED_KEY", "budgeted")
        .env("EVERYTHING_KEY", "everything").start();
    monitor = RedisMonitor.on(redis.port());
  }

  @AfterAll
  static void stop() {
    gw.close();
    monitor.close();
    up.close();
    redis.close();
  }

  /** The commands of one request: before the upstream saw it, and after. */
  private record Trips(List<String> hot, List<String> after) {}

  /**
   * Sends a request whose upstream call is held until the monitor marked it, then answered by {@code answer};
   * waits for {@code afterwards} commands after that mark (writes that run once the answer went out).
   */
  private static Trips measure(String route, Consumer<MockUpstream.Call> answer, Supplier<CompletableFuture<Res>> send,
      int afterwards) {
    CompletableFuture<MockUpstream.Call> held = new CompletableFuture<>();
    up.otherwise(route, held::complete);
    String start = monitor.mark();
    CompletableFuture<Res> response = send.get();
    MockUpstream.Call call = held.orTimeout(10, TimeUnit.SECONDS).join();
    String reached = monitor.mark();
    answer.accept(call);
    assertThat(response.orTimeout(10, TimeUnit.SECONDS).join().status()).isLessThan(300);
    await().atMost(Duration.ofSeconds(5)).until(() -> requests(monitor.since(reached)).size() >= afterwards);
    monitor.mark();
    return new Trips(requests(monitor.since(start)), requests(monitor.since(reached)));
  }

  /** Leaves out a new pooled connection's setup (HELLO, SELECT): a cost per connection, not per request. */
  private static List<String> requests(List<String> commands) {
    return commands.stream().filter(c -> !c.equals("HELLO") && !c.equals("SELECT")).toList();
  }

  private static void ok(MockUpstream.Call call) {
    call.request().response().setStatusCode(201).end("{}");
  }

  private static void chat(MockUpstream.Call call) {
    call.request().response().putHeader("Content-Type", "application/json")
        .end(LlmBehaviors.openAiCompletion("gpt-4o-mini", "Hi", "stop", 8, 2));
  }

  private static CompletableFuture<Res> llm(String key, String idempotencyKey) {
    String ask = "{\"target\": \"openai\", \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}";
    return idempotencyKey == null ? gw.http.postAsync("/proxy/llm", ask, "X-API-Key", key)
        : gw.http.postAsync("/proxy/llm", ask, "X-API-Key", key, "Idempotency-Key", idempotencyKey);
  }

  @Test
  void aKeyedRequestClaimsInOneRoundTripAndStoresItsOutcomeInOneAfterwards() {
    for (String key : List.of("warm-up", "measured")) {
      Trips trips = measure("POST /pay", RoundTripsTest::ok,
          () -> gw.http.postAsync("/t/api/pay", "{}", "X-API-Key", "plain", "Idempotency-Key", key), 1);
      if (key.equals("measured")) {
        assertThat(trips.hot()).containsExactly(EVALSHA);
        assertThat(trips.after()).containsExactly(EVALSHA);
      }
    }
  }

  @Test
  void aRateLimitedClientTakesItsTokenInOneRoundTrip() {
    for (int i = 0; i < 2; i++) {
      Trips trips = measure("POST /report", RoundTripsTest::ok,
          () -> gw.http.postAsync("/t/api/report", "{}", "X-API-Key", "limited"), 0);
      if (i == 1) {
        assertThat(trips.hot()).containsExactly(EVALSHA);
        assertThat(trips.after()).isEmpty();
      }
    }
  }

  @Test
  void aBudgetedCallReservesInOneRoundTripAndSettlesInOneAfterwards() {
    for (int i = 0; i < 2; i++) {
      Trips trips = measure("POST /v1/chat/completions", RoundTripsTest::chat, () -> llm("budgeted", null), 1);
      if (i == 1) {
        assertThat(trips.hot()).containsExactly(EVALSHA);
        assertThat(trips.after()).containsExactly(EVALSHA);
      }
    }
  }

  @Test
  void aCacheMissReadsOnceAndWritesAfterwardsAndAHitReadsOnce() {
    for (String path : List.of("/t/api/warm", "/t/api/items")) {
      Trips miss = measure("GET " + path.substring(6), call -> call.request().response().end("[]"),
          () -> gw.http.getAsync(path, "X-API-Key", "plain"), 2);
      if (path.endsWith("items")) {
        assertThat(miss.hot()).containsExactly("GET");
        assertThat(miss.after()).containsExactly(EVALSHA, "SET");
      }
    }
    String start = monitor.mark();
    assertThat(gw.http.get("/t/api/items", "X-API-Key", "plain").header("X-Cache-Hit")).isEqualTo("true");
    monitor.mark();
    assertThat(requests(monitor.since(start))).containsExactly("GET");
  }

  @Test
  void aKeyedBudgetedCallOfARateLimitedClientMakesOneRoundTripPerGuaranteeBeforeTheProvider() {
    for (String key : List.of("all-warm-up", "all-measured")) {
      Trips trips = measure("POST /v1/chat/completions", RoundTripsTest::chat, () -> llm("everything", key), 2);
      if (key.equals("all-measured")) {
        assertThat(trips.hot()).as("rate limit, claim, reservation").containsExactly(EVALSHA, EVALSHA, EVALSHA);
        assertThat(trips.after()).as("settlement, outcome").containsExactlyInAnyOrder(EVALSHA, EVALSHA);
      }
    }
  }
}
