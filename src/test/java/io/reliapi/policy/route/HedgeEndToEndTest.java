package io.reliapi.policy.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hedging against the real gateway: the hedge waits on a manual scheduler, so it starts exactly when the test
 * moves the clock past {@code after_ms}; upstream answers are held until the test releases them, so which
 * attempt answers first is the test's choice, not a race.
 */
class HedgeEndToEndTest {
  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = ManualScheduler.manual(clock);
  private final Queue<MockUpstream.Call> heldA = new ConcurrentLinkedQueue<>();
  private final Queue<MockUpstream.Call> heldB = new ConcurrentLinkedQueue<>();

  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();

  @BeforeEach
  void start() {
    e2e.up().otherwise("* /a/x", heldA::add);
    e2e.up().otherwise("* /b/x", heldB::add);
    e2e.up().otherwise("* /one/x", heldA::add);
    e2e.up().otherwise("POST /east/v1/chat/completions", heldA::add);
    e2e.up().otherwise("POST /west/v1/chat/completions", heldB::add);
    e2e.up().otherwise("* /ca/x", heldA::add);
    e2e.up().otherwise("* /cb/x", heldB::add);
    e2e.up().otherwise("POST /tight/v1/chat/completions", heldA::add);
    e2e.up().otherwise("POST /east/v1/responses", heldA::add);
    e2e.up().otherwise("POST /west/v1/responses", heldB::add);
    e2e.up().otherwise("* /thrift/x", heldA::add);
    e2e.start(GatewayHarness.yaml("""
        targets:
          api:
            base_url: "%1$s/a"
            hedge: {after_ms: 200}
            retry_matrix: {"5xx": {attempts: 1}, net: {attempts: 1}, timeout: {attempts: 1}}
            deployments: [{name: a}, {name: b, base_url: "%1$s/b"}]
          single:
            base_url: "%1$s/one"
            hedge: {after_ms: 200}
          openai:
            base_url: "%1$s/east/v1"
            hedge: {after_ms: 200, llm: true}
            retry_matrix: {"5xx": {attempts: 1}, net: {attempts: 1}, timeout: {attempts: 1}}
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100, budget: {daily_usd: 10}}
            deployments: [{name: east}, {name: west, base_url: "%1$s/west/v1"}]
          codex:
            base_url: "%1$s/east/v1"
            hedge: {after_ms: 200, llm: true}
            retry_matrix: {"5xx": {attempts: 1}, net: {attempts: 1}, timeout: {attempts: 1}}
            llm: {provider: openai, default_model: gpt-5, responses_api: true}
            deployments: [{name: east}, {name: west, base_url: "%1$s/west/v1"}]
          capped:
            base_url: "%1$s/ca"
            hedge: {after_ms: 200}
            concurrency: {adaptive: false, max: 1, queue_size: 0}
            deployments: [{name: a}, {name: b, base_url: "%1$s/cb"}]
          thrifty:
            base_url: "%1$s/thrift"
            hedge: {after_ms: 200}
            retry_budget: {percent: 0, min_per_s: 0.1, window_s: 10}
          tight:
            base_url: "%1$s/tight/v1"
            hedge: {after_ms: 200, llm: true}
            llm: {provider: openai, default_model: gpt-4o-mini, max_tokens: 100, budget: {daily_usd: 0.0001}}
        admin: {keys_env: ADMIN_KEY}
        """.formatted(e2e.up().baseUrl())).env("ADMIN_KEY", "admin-secret").clock(clock, scheduler));
  }

  private static void answer(MockUpstream.Call call, String body) {
    Behavior.respond(200, java.util.Map.of("Content-Type", "text/plain"), body).respond(call);
  }

  private double hedges(String outcome) {
    return MetricSamples.scrape(e2e.gw()).value("reliapi_hedges_total", "target", "api", "outcome", outcome);
  }

  @Test
  void aSlowFirstAttemptIsHedgedOnTheSiblingWhoseAnswerWinsAndTheFirstIsCancelled() throws Exception {
    CompletableFuture<TestHttp.Res> response = e2e.gw().http.getAsync("/t/api/x");
    await().until(() -> heldA.size() == 1);
    assertThat(heldB).isEmpty();
    scheduler.advance(Duration.ofMillis(200));
    await().until(() -> heldB.size() == 1);
    answer(heldB.poll(), "from b");

    TestHttp.Res res = response.get();
    assertThat(res.status()).isEqualTo(200);
    assertThat(res.body()).isEqualTo("from b");
    assertThat(res.header("X-ReliAPI-Deployment")).isEqualTo("b");
    assertThat(res.header("X-Retries")).as("a hedge is no retry").isEqualTo("0");
    MockUpstream.Call first = heldA.poll();
    await().until(() -> first.request().response().closed());
    assertThat(hedges("hedge_won")).isEqualTo(1.0);
    assertThat(hedges("primary_won")).isZero();
  }

  @Test
  void whenTheFirstAttemptAnswersBeforeTheHedgeItWinsAndTheHedgeIsCancelled() throws Exception {
    CompletableFuture<TestHttp.Res> response = e2e.gw().http.getAsync("/t/api/x");
    await().until(() -> heldA.size() == 1);
    scheduler.advance(Duration.ofMillis(200));
    await().until(() -> heldB.size() == 1);
    answer(heldA.poll(), "from a");

    TestHttp.Res res = response.get();
    assertThat(res.body()).isEqualTo("from a");
    assertThat(res.header("X-ReliAPI-Deployment")).isEqualTo("a");
    MockUpstream.Call hedge = heldB.poll();
    await().until(() -> hedge.request().response().closed());
    assertThat(hedges("primary_won")).isEqualTo(1.0);
    assertThat(hedges("hedge_won")).isZero();
  }

  @Test
  void anAnswerBeforeTheDelaySendsNoHedge() throws Exception {
    CompletableFuture<TestHttp.Res> response = e2e.gw().http.getAsync("/t/api/x");
    await().until(() -> heldA.size() == 1);
    answer(heldA.poll(), "quick");
    assertThat(response.get().body()).isEqualTo("quick");
    scheduler.advance(Duration.ofMillis(500));
    assertThat(heldB).isEmpty();
    assertThat(e2e.up().total()).isEqualTo(1);
    assertThat(hedges("primary_won") + hedges("hedge_won")).isZero();
  }

  @Test
  void aPostIsNeverHedgedEvenWithAnIdempotencyKey() throws Exception {
    CompletableFuture<TestHttp.Res> response = e2e.gw().http.postAsync("/t/api/x", "{}", "Idempotency-Key", "k-1");
    await().until(() -> heldA.size() == 1);
    assertThat(scheduler.pendingCount()).as("no hedge waits").isZero();
    scheduler.advance(Duration.ofSeconds(5));
    assertThat(heldB).isEmpty();
    answer(heldA.poll(), "posted");
    assertThat(response.get().body()).isEqualTo("posted");
  }

  @Test
  void aKeyedLlmCallIsNeverHedgedSoTheUpstreamNeverSeesItsKeyTwice() throws Exception {
    String body = "{\"target\":\"openai\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
    CompletableFuture<TestHttp.Res> response = e2e.gw().http.postAsync("/proxy/llm", body, "Idempotency-Key", "k-llm");
    await().until(() -> heldA.size() == 1);
    assertThat(scheduler.pendingCount()).as("no hedge waits").isZero();
    scheduler.advance(Duration.ofSeconds(5));
    assertThat(heldB).isEmpty();
    io.reliapi.testing.LlmBehaviors.openAi("gpt-4o-mini", "once", 9, 3).respond(heldA.poll());
    assertThat(response.get().json().get("data").get("content").asText()).isEqualTo("once");
    assertThat(e2e.up().total()).isEqualTo(1);
  }

  @Test
  void aKeyedGetIsNeverHedged() throws Exception {
    CompletableFuture<TestHttp.Res> response = e2e.gw().http.getAsync("/t/api/x", "Idempotency-Key", "k-get");
    await().until(() -> heldA.size() == 1);
    assertThat(scheduler.pendingCount()).as("no hedge waits").isZero();
    scheduler.advance(Duration.ofSeconds(5));
    assertThat(heldB).isEmpty();
    answer(heldA.poll(), "got");
    assertThat(response.get().body()).isEqualTo("got");
  }

  @Test
  void aTargetWithoutDeploymentsHedgesOnItself() throws Exception {
    CompletableFuture<TestHttp.Res> response = e2e.gw().http.getAsync("/t/single/x");
    await().until(() -> heldA.size() == 1);
    scheduler.advance(Duration.ofMillis(200));
    await().until(() -> heldA.size() == 2);
    MockUpstream.Call first = heldA.poll();
    answer(heldA.poll(), "second copy");
    assertThat(response.get().body()).isEqualTo("second copy");
    await().until(() -> first.request().response().closed());
    assertThat(MetricSamples.scrape(e2e.gw()).value("reliapi_hedges_total", "target", "single", "outcome", "hedge_won"))
        .isEqualTo(1.0);
  }

  @Test
  void anLlmCallIsHedgedWhenTheTargetSaysSoAndBothAttemptsAreCharged() throws Exception {
    String body = "{\"target\":\"openai\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
    CompletableFuture<TestHttp.Res> response = e2e.gw().http.postAsync("/proxy/llm", body);
    await().until(() -> heldA.size() == 1);
    scheduler.advance(Duration.ofMillis(200));
    await().until(() -> heldB.size() == 1);
    io.reliapi.testing.LlmBehaviors.openAi("gpt-4o-mini", "from west", 9, 3).respond(heldB.poll());

    TestHttp.Res res = response.get();
    assertThat(res.status()).isEqualTo(200);
    var meta = res.json().get("meta");
    assertThat(meta.get("deployment").asText()).isEqualTo("west");
    assertThat(res.json().get("data").get("content").asText()).isEqualTo("from west");
    MockUpstream.Call first = heldA.poll();
    await().until(() -> first.request().response().closed());
    // The winner is charged what it cost; the cancelled attempt, whose cost cannot be known, its estimate.
    double expected = meta.get("cost_usd").asDouble() + meta.get("cost_estimate_usd").asDouble();
    await().untilAsserted(() -> {
      var budgets = e2e.gw().http.get("/admin/budgets", "Authorization", "Bearer admin-secret").json().get("budgets");
      assertThat(budgets.get(0).get("spent_usd").asDouble()).isCloseTo(expected,
          org.assertj.core.data.Offset.offset(1e-9));
    });
  }

  /**
   * One deployment refusing the reasoning items another organization issued must not cancel the other, which may
   * be that organization's and answer the turn as written.
   */
  @Test
  void aRefusalOfTheReasoningItemsDoesNotWinWhileTheOtherAttemptRuns() throws Exception {
    String body = """
        {"model": "codex/gpt-5", "store": false, "input": [
          {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hello"}]},
          {"type": "reasoning", "summary": [], "encrypted_content": "gAAAAABpRk1"}]}""";
    CompletableFuture<TestHttp.Res> response = e2e.gw().http.postAsync("/v1/responses", body);
    await().until(() -> heldA.size() == 1);
    scheduler.advance(Duration.ofMillis(200));
    await().until(() -> heldB.size() == 1);
    Behavior.respond(400, java.util.Map.of("Content-Type", "application/json"), """
        {"error": {"message": "The encrypted content could not be verified.", "type": "invalid_request_error", \
        "param": null, "code": "invalid_encrypted_content"}}""").respond(heldA.poll());
    MockUpstream.Call hedge = heldB.poll();
    await().until(() -> e2e.up().requests().size() == 2 && heldA.isEmpty());
    assertThat(hedge.request().response().closed()).as("the hedge still runs").isFalse();
    io.reliapi.testing.ResponsesBehaviors.answer("gpt-5", "from west", 9, 3).respond(hedge);

    TestHttp.Res res = response.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(res.status()).isEqualTo(200);
    assertThat(res.header("X-Retries")).isEqualTo("0");
    assertThat(e2e.up().requests()).hasSize(2);
  }

  @Test
  void aHedgeShedByTheConcurrencyLimitDoesNotCancelTheFirstAttemptWhichStillAnswers() throws Exception {
    CompletableFuture<TestHttp.Res> response = e2e.gw().http.getAsync("/t/capped/x");
    await().until(() -> heldA.size() == 1);
    scheduler.advance(Duration.ofMillis(200));
    // The hedge finds the only place taken and no queue: it is shed without a call, and must not win.
    await().until(() -> MetricSamples.scrape(e2e.gw())
        .value("reliapi_concurrency_shed_total", "target", "capped") == 1.0);
    assertThat(response).isNotDone();
    MockUpstream.Call first = heldA.poll();
    assertThat(first.request().response().closed()).as("the first attempt still runs").isFalse();
    answer(first, "from a");

    TestHttp.Res res = response.get();
    assertThat(res.status()).isEqualTo(200);
    assertThat(res.body()).isEqualTo("from a");
    assertThat(heldB).isEmpty();
  }

  @Test
  void aHedgeRefusedByTheBudgetDoesNotCancelTheFirstAttemptWhichStillAnswers() throws Exception {
    // The budget holds one attempt's estimate, not two: the hedge's reservation is refused.
    String body = "{\"target\":\"tight\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
    CompletableFuture<TestHttp.Res> response = e2e.gw().http.postAsync("/proxy/llm", body);
    await().until(() -> heldA.size() == 1);
    scheduler.advance(Duration.ofMillis(200));
    await().until(() -> MetricSamples.scrape(e2e.gw())
        .value("reliapi_budget_events_total", "target", "tight", "event", "exhausted") == 1.0);
    assertThat(response).isNotDone();
    io.reliapi.testing.LlmBehaviors.openAi("gpt-4o-mini", "from the first", 9, 3).respond(heldA.poll());

    TestHttp.Res res = response.get();
    assertThat(res.status()).isEqualTo(200);
    assertThat(res.json().get("data").get("content").asText()).isEqualTo("from the first");
    assertThat(heldA).as("the hedge made no call").isEmpty();
  }

  @Test
  void aHedgeSpendsTheRetryBudgetAndNoneStartsOnceItIsSpent() throws Exception {
    // The budget allows one extra attempt in its window: the first request's hedge.
    CompletableFuture<TestHttp.Res> first = e2e.gw().http.getAsync("/t/thrifty/x");
    await().until(() -> heldA.size() == 1);
    scheduler.advance(Duration.ofMillis(200));
    await().until(() -> heldA.size() == 2);
    heldA.poll().request().connection().close();
    answer(heldA.poll(), "hedged");
    assertThat(first.get().body()).isEqualTo("hedged");

    CompletableFuture<TestHttp.Res> second = e2e.gw().http.getAsync("/t/thrifty/x");
    await().until(() -> heldA.size() == 1);
    scheduler.advance(Duration.ofMillis(200));
    await().until(() -> MetricSamples.scrape(e2e.gw())
        .value("reliapi_retry_budget_exhausted_total", "target", "thrifty") == 1.0);
    answer(heldA.poll(), "unhedged");
    assertThat(second.get().body()).isEqualTo("unhedged");
    assertThat(e2e.up().count("/thrift/x")).as("no hedge once the budget is spent").isEqualTo(3);
  }

  @Test
  void aStreamingLlmCallIsNeverHedged() {
    String body = "{\"target\":\"openai\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    e2e.gw().http.postAsync("/proxy/llm", body);
    await().until(() -> heldA.size() == 1);
    assertThat(scheduler.pendingCount()).isZero();
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(heldB).isEmpty();
    heldA.poll().request().connection().close();
  }
}
