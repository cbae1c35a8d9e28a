package io.reliapi.policy.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.FreePort;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.PerTestGatewayExtension;
import io.reliapi.testing.TestHttp.Res;
import io.reliapi.testing.TestYaml;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Idempotency keys against the real gateway over real sockets, with real concurrency (SPEC §3.4,
 * issue 4). Retries and the breaker are switched off so every upstream call counted is the gateway's
 * one execution of a request.
 */
class IdempotencyEndToEndTest {
  private static final String JSON = "application/json";

  @RegisterExtension
  final PerTestGatewayExtension e2e = new PerTestGatewayExtension();

  private void start(String targetExtras) {
    e2e.start(harness("", targetExtras));
  }

  private GatewayHarness.Builder harness(String topLevel, String targetExtras) {
    return GatewayHarness.yaml(topLevel + """
        targets:
          api:
            base_url: "%s"
        """.formatted(e2e.up().baseUrl()) + (TestYaml.ONE_ATTEMPT + targetExtras).indent(4));
  }

  /** Answers {@code status} with a body naming the call: {"call":1} for the first, and so on. */
  private static Behavior numbered(AtomicInteger calls, int status) {
    return call -> call.request().response().setStatusCode(status).putHeader("Content-Type", JSON)
        .putHeader("X-Order", "o-" + calls.get()).end("{\"call\":" + calls.incrementAndGet() + "}");
  }

  private Res post(String path, String body, String key) {
    return e2e.gw().http.post(path, body, "Idempotency-Key", key, "Content-Type", JSON);
  }

  private CompletableFuture<Res> postAsync(String path, String body, String key) {
    return e2e.gw().http.postAsync(path, body, "Idempotency-Key", key, "Content-Type", JSON);
  }

  private static List<Res> all(List<CompletableFuture<Res>> sent) {
    return sent.stream().map(CompletableFuture::join).toList();
  }

  private static long replayed(List<Res> answers) {
    return answers.stream().filter(r -> "true".equals(r.header("Idempotent-Replayed"))).count();
  }

  @Test
  void hundredConcurrentIdenticalPostsMakeOneUpstreamCallAndAllGetTheSameAnswer() {
    AtomicInteger calls = new AtomicInteger();
    e2e.up().otherwise("POST /pay", Behavior.delayed(400, numbered(calls, 201)));
    start("");
    List<CompletableFuture<Res>> sent = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      sent.add(postAsync("/t/api/pay", "{\"amount\":5}", "order-1"));
    }
    List<Res> answers = all(sent);

    assertThat(e2e.up().count("/pay")).isEqualTo(1);
    assertThat(answers).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(201);
      assertThat(r.body()).isEqualTo("{\"call\":1}");
      assertThat(r.header("X-Order")).isEqualTo("o-0");
    });
    assertThat(replayed(answers)).isEqualTo(99);
    String metrics = e2e.gw().http.get("/metrics").body();
    assertThat(metrics).contains("reliapi_idempotent_replays_total{target=\"api\"} 99.0");
    assertThat(metrics).containsPattern("reliapi_coalesced_requests_total\\{target=\"api\"} [1-9][0-9]?\\.0");
  }

  @Test
  void followersOnTheEnvelopeRouteGetTheSameDataAndIdempotentHitInMeta() {
    AtomicInteger calls = new AtomicInteger();
    e2e.up().otherwise("POST /orders", Behavior.delayed(300, numbered(calls, 201)));
    start("");
    String envelope = "{\"target\":\"api\",\"method\":\"POST\",\"path\":\"/orders\",\"body\":{\"sku\":\"a-1\",\"n\":2}}";
    List<CompletableFuture<Res>> sent = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sent.add(postAsync("/proxy/http", envelope, "env-1"));
    }
    List<Res> answers = all(sent);

    assertThat(e2e.up().count("/orders")).isEqualTo(1);
    JsonNode data = answers.get(0).json().get("data");
    assertThat(data.get("body").get("call").asInt()).isEqualTo(1);
    assertThat(answers).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(201);
      assertThat(r.json().get("data")).isEqualTo(data);
      assertThat(r.json().get("meta").get("idempotent_hit").asBoolean())
          .isEqualTo("true".equals(r.header("Idempotent-Replayed")));
    });
    assertThat(answers.stream().filter(r -> r.json().get("meta").get("idempotent_hit").asBoolean()).count())
        .isEqualTo(19);
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 201, 404, 422, 500, 503})
  void aLaterRequestWithTheKeyReplaysTheStoredAnswerWhateverItsStatus(int status) {
    AtomicInteger calls = new AtomicInteger();
    e2e.up().otherwise("POST /charge", numbered(calls, status));
    start("");
    Res first = post("/t/api/charge", "{\"cents\":100}", "charge-" + status);
    Res again = post("/t/api/charge", "{\"cents\":100}", "charge-" + status);

    assertThat(e2e.up().count("/charge")).isEqualTo(1);
    assertThat(first.status()).isEqualTo(status);
    assertThat(first.header("Idempotent-Replayed")).isNull();
    assertThat(again.status()).isEqualTo(status);
    assertThat(again.body()).isEqualTo(first.body()).isEqualTo("{\"call\":1}");
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.header("X-Order")).isEqualTo("o-0");
  }

  @Test
  void storedOutcomesReplayForTtlSecondsThenTheKeyExecutesAgain() {
    AtomicInteger calls = new AtomicInteger();
    e2e.up().otherwise("POST /charge", numbered(calls, 201));
    ManualClock clock = new ManualClock();
    e2e.start(harness("", "idempotency: {ttl_s: 60}\n").clock(clock, ManualScheduler.manual(clock)));
    // The envelope route reads the whole answer before it replies, so the outcome is stored by then.
    String charge = "{\"target\":\"api\",\"method\":\"POST\",\"path\":\"/charge\"}";

    assertThat(post("/proxy/http", charge, "ttl-1").json().get("data").get("body").get("call").asInt()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(59));
    Res replay = post("/proxy/http", charge, "ttl-1");
    assertThat(replay.json().get("data").get("body").get("call").asInt()).isEqualTo(1);
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    clock.advance(Duration.ofSeconds(2));
    Res fresh = post("/proxy/http", charge, "ttl-1");
    assertThat(fresh.json().get("data").get("body").get("call").asInt()).isEqualTo(2);
    assertThat(fresh.header("Idempotent-Replayed")).isNull();
    assertThat(e2e.up().count("/charge")).isEqualTo(2);
  }

  @Test
  void theSameKeyWithADifferentRequestIsAConflictWhileTheFirstIsInFlightAndAfter() {
    AtomicInteger calls = new AtomicInteger();
    e2e.up().otherwise("POST /pay", Behavior.delayed(1500, numbered(calls, 201)));
    e2e.up().otherwise("POST /other", numbered(calls, 201));
    start("");
    CompletableFuture<Res> first = postAsync("/t/api/pay", "{\"amount\":5}", "k-conflict");
    await().atMost(Duration.ofSeconds(5)).until(() -> e2e.up().count("/pay") == 1);

    Res during = post("/t/api/pay", "{\"amount\":6}", "k-conflict");
    assertThat(first).isNotDone();
    assertThat(during.status()).isEqualTo(422);
    assertThat(during.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(during.json().get("code").asText()).isEqualTo("IDEMPOTENCY_CONFLICT");

    assertThat(first.join().status()).isEqualTo(201);
    for (String[] other : new String[][] {{"/t/api/pay", "{\"amount\":6}"}, {"/t/api/pay?x=1", "{\"amount\":5}"},
        {"/t/api/other", "{\"amount\":5}"}}) {
      Res after = post(other[0], other[1], "k-conflict");
      assertThat(after.status()).as(other[0] + " " + other[1]).isEqualTo(422);
      assertThat(after.json().get("code").asText()).isEqualTo("IDEMPOTENCY_CONFLICT");
    }
    Res put = e2e.gw().http.method("PUT", "/t/api/pay", "{\"amount\":5}", "Idempotency-Key", "k-conflict");
    assertThat(put.status()).isEqualTo(422);
    assertThat(e2e.up().count("/pay") + e2e.up().count("/other")).isEqualTo(1);
  }

  @Test
  void jsonBodiesThatDifferOnlyInMemberOrderOrSpacingAreTheSameRequest() {
    AtomicInteger calls = new AtomicInteger();
    e2e.up().otherwise("POST /pay", numbered(calls, 201));
    start("");
    post("/t/api/pay?b=2&a=1", "{\"amount\":5,\"currency\":\"EUR\"}", "k-json");
    Res same = post("/t/api/pay?a=1&b=2", "{ \"currency\": \"EUR\", \"amount\": 5 }", "k-json");
    assertThat(same.status()).isEqualTo(201);
    assertThat(same.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(e2e.up().count("/pay")).isEqualTo(1);
  }

  @Test
  void a429IsNotStoredAndExactlyOneWaitingRequestBecomesTheNewLeader() {
    AtomicInteger calls = new AtomicInteger();
    e2e.up().script("POST /pay", Behavior.delayed(600, Behavior.respond(429, Map.of("Retry-After", "1"), "slow down")));
    e2e.up().otherwise("POST /pay", Behavior.delayed(300, numbered(calls, 201)));
    start("");
    List<CompletableFuture<Res>> sent = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sent.add(postAsync("/t/api/pay", "{\"amount\":5}", "k-429"));
    }
    List<Res> answers = all(sent);

    assertThat(e2e.up().count("/pay")).isEqualTo(2);
    assertThat(answers.stream().filter(r -> r.status() == 429).count()).isEqualTo(1);
    List<Res> created = answers.stream().filter(r -> r.status() == 201).toList();
    assertThat(created).hasSize(19).allSatisfy(r -> assertThat(r.body()).isEqualTo("{\"call\":1}"));
    assertThat(replayed(created)).isEqualTo(18);
  }

  @ParameterizedTest
  @ValueSource(ints = {408, 425, 429})
  void answersSayingTheRequestWasNotProcessedReleaseTheKey(int status) {
    AtomicInteger calls = new AtomicInteger();
    e2e.up().script("POST /pay", Behavior.status(status));
    e2e.up().otherwise("POST /pay", numbered(calls, 201));
    start("");
    assertThat(post("/t/api/pay", "{}", "k-" + status).status()).isEqualTo(status);
    Res second = post("/t/api/pay", "{}", "k-" + status);
    assertThat(second.status()).isEqualTo(201);
    assertThat(second.header("Idempotent-Replayed")).isNull();
    assertThat(e2e.up().count("/pay")).isEqualTo(2);
  }

  @Test
  void aFailureBeforeTheRequestWasSentReleasesTheKey() throws IOException {
    int closedPort = FreePort.refused();
    e2e.start(GatewayHarness.yaml("""
        targets:
          gone:
            base_url: "http://127.0.0.1:%d"
        """.formatted(closedPort) + TestYaml.ONE_ATTEMPT.indent(4)));
    for (int i = 0; i < 2; i++) {
      Res refused = post("/t/gone/pay", "{}", "k-refused");
      assertThat(refused.status()).isEqualTo(502);
      assertThat(refused.json().get("code").asText()).isEqualTo("NETWORK_ERROR");
    }
  }

  @Test
  void aResetAfterSendingLeavesTheOutcomeUnknownAndTheKeyIsNeverExecutedAgain() {
    e2e.up().otherwise("POST /pay", Behavior.delayed(300, Behavior.reset()));
    start("");
    List<CompletableFuture<Res>> sent = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      sent.add(postAsync("/t/api/pay", "{}", "k-reset"));
    }
    List<Res> answers = all(sent);
    Res later = post("/t/api/pay", "{}", "k-reset");

    assertThat(e2e.up().count("/pay")).isEqualTo(1);
    assertThat(answers.stream().filter(r -> r.status() == 502).toList()).singleElement()
        .satisfies(r -> assertThat(r.json().get("code").asText()).isEqualTo("NETWORK_ERROR"));
    assertThat(answers.stream().filter(r -> r.status() == 504).toList()).hasSize(9).allSatisfy(r ->
        assertThat(r.json().get("code").asText()).isEqualTo("IDEMPOTENCY_OUTCOME_UNKNOWN"));
    assertThat(later.status()).isEqualTo(504);
    assertThat(later.json().get("code").asText()).isEqualTo("IDEMPOTENCY_OUTCOME_UNKNOWN");
  }

  @Test
  void aTimeoutAfterSendingLeavesTheOutcomeUnknown() {
    e2e.up().otherwise("POST /pay", Behavior.silence());
    start("timeout_ms: 300\n");
    Res first = post("/t/api/pay", "{}", "k-timeout");
    assertThat(first.status()).isEqualTo(504);
    assertThat(first.json().get("code").asText()).isEqualTo("UPSTREAM_TIMEOUT");
    Res later = post("/t/api/pay", "{}", "k-timeout");
    assertThat(later.status()).isEqualTo(504);
    assertThat(later.json().get("code").asText()).isEqualTo("IDEMPOTENCY_OUTCOME_UNKNOWN");
    assertThat(e2e.up().count("/pay")).isEqualTo(1);
  }

  @Test
  void aTargetThatGetsTheKeyForwardedIsAskedAgainAfterAnUnknownOutcome() {
    AtomicInteger calls = new AtomicInteger();
    e2e.up().script("POST /pay", Behavior.reset());
    e2e.up().otherwise("POST /pay", numbered(calls, 201));
    start("idempotency: {forward_header: Idempotency-Key}\n");
    assertThat(post("/t/api/pay", "{}", "k-fwd").status()).isEqualTo(502);
    Res second = post("/t/api/pay", "{}", "k-fwd");
    assertThat(second.status()).isEqualTo(201);
    assertThat(post("/t/api/pay", "{}", "k-fwd").header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(e2e.up().count("/pay")).isEqualTo(2);
    assertThat(e2e.up().countKey("k-fwd")).isEqualTo(2);
  }

  @Test
  void theKeyIsForwardedInTheConfiguredHeaderOnEveryRoute() {
    start("idempotency: {forward_header: X-Dedupe-Id}\n");
    post("/t/api/a", "{}", "k-named");
    assertThat(e2e.up().last().header("X-Dedupe-Id")).isEqualTo("k-named");
    assertThat(e2e.up().last().header("Idempotency-Key")).isNull();
    post("/proxy/http", "{\"target\":\"api\",\"method\":\"POST\",\"path\":\"/b\",\"idempotency_key\":\"k-field\"}", "k-field");
    assertThat(e2e.up().last().header("X-Dedupe-Id")).isEqualTo("k-field");
  }

  @Test
  void waitingLongerThanTheCoalesceTimeoutIs409WithRetryAfter() {
    AtomicInteger calls = new AtomicInteger();
    e2e.up().otherwise("POST /slow", Behavior.delayed(2500, numbered(calls, 201)));
    ManualClock clock = new ManualClock();
    ManualScheduler scheduler = ManualScheduler.manual(clock);
    e2e.start(harness("", "idempotency: {coalesce_timeout_s: 2}\n").clock(clock, scheduler));

    CompletableFuture<Res> leader = postAsync("/t/api/slow", "{}", "k-wait");
    await().atMost(Duration.ofSeconds(5)).until(() -> e2e.up().count("/slow") == 1);
    CompletableFuture<Res> follower = postAsync("/t/api/slow", "{}", "k-wait");
    await().atMost(Duration.ofSeconds(5)).until(() -> scheduler.pendingCount() == 1);
    scheduler.advance(Duration.ofMillis(1900));
    assertThat(follower).isNotDone();
    scheduler.advance(Duration.ofMillis(200));

    Res waited = follower.join();
    assertThat(waited.status()).isEqualTo(409);
    assertThat(waited.header("Retry-After")).isEqualTo("1");
    assertThat(waited.json().get("code").asText()).isEqualTo("IDEMPOTENCY_IN_PROGRESS");
    assertThat(waited.json().get("retry_after_s").asInt()).isEqualTo(1);
    assertThat(leader.join().status()).isEqualTo(201);
    assertThat(post("/t/api/slow", "{}", "k-wait").header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(e2e.up().count("/slow")).isEqualTo(1);
  }

  @Test
  void aClaimWhoseHolderOutlivedItsLeaseCountsAsAnUnknownOutcome() {
    AtomicInteger calls = new AtomicInteger();
    e2e.up().otherwise("POST /slow", Behavior.delayed(2000, numbered(calls, 201)));
    ManualClock clock = new ManualClock();
    e2e.start(harness("", "deadline_ms: 5000\n").clock(clock, ManualScheduler.manual(clock)));

    CompletableFuture<Res> holder = postAsync("/t/api/slow", "{}", "k-lease");
    await().atMost(Duration.ofSeconds(5)).until(() -> e2e.up().count("/slow") == 1);
    // The lease runs for the request's deadline plus a grace period; past it the holder counts as gone.
    clock.advance(Duration.ofMillis(5000 + IdempotencyStage.LEASE_GRACE_MS + 1));
    Res meanwhile = post("/t/api/slow", "{}", "k-lease");
    assertThat(meanwhile.status()).isEqualTo(504);
    assertThat(meanwhile.json().get("code").asText()).isEqualTo("IDEMPOTENCY_OUTCOME_UNKNOWN");

    assertThat(holder.join().status()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(5)).until(() ->
        "true".equals(post("/t/api/slow", "{}", "k-lease").header("Idempotent-Replayed")));
    assertThat(e2e.up().count("/slow")).isEqualTo(1);
  }

  @Test
  void aClaimWhoseHolderOutlivedItsLeaseIsTakenOverWhenTheUpstreamGetsTheKey() {
    AtomicInteger calls = new AtomicInteger();
    e2e.up().script("POST /slow", Behavior.delayed(1500, numbered(calls, 201)));
    e2e.up().otherwise("POST /slow", numbered(calls, 201));
    ManualClock clock = new ManualClock();
    e2e.start(harness("", "deadline_ms: 5000\nidempotency: {forward_header: X-Dedupe-Id}\n")
        .clock(clock, ManualScheduler.manual(clock)));

    CompletableFuture<Res> holder = postAsync("/t/api/slow", "{}", "k-takeover");
    await().atMost(Duration.ofSeconds(5)).until(() -> e2e.up().count("/slow") == 1);
    clock.advance(Duration.ofMillis(5000 + IdempotencyStage.LEASE_GRACE_MS + 1));
    // The upstream deduplicates by the forwarded key, so executing again is safe: this request takes over.
    Res taker = post("/t/api/slow", "{}", "k-takeover");
    assertThat(taker.status()).isEqualTo(201);
    assertThat(taker.header("Idempotent-Replayed")).isNull();
    assertThat(e2e.up().requests()).extracting(r -> r.header("X-Dedupe-Id")).containsExactly("k-takeover", "k-takeover");

    assertThat(holder.join().status()).isEqualTo(201);
    Res later = post("/t/api/slow", "{}", "k-takeover");
    assertThat(later.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(later.body()).isEqualTo(taker.body());
    assertThat(e2e.up().count("/slow")).isEqualTo(2);
  }

  @Test
  void twoClientsUsingTheSameKeyNeverSeeEachOthersResults() {
    e2e.start(harness("""
        clients:
          - {name: alice, key_env: ALICE_KEY}
          - {name: bob, key_env: BOB_KEY}
        """, "").env("ALICE_KEY", "key-a").env("BOB_KEY", "key-b"));
    Res alice = e2e.gw().http.post("/t/api/pay", "{\"who\":\"alice\"}", "X-API-Key", "key-a", "Idempotency-Key", "shared");
    Res bob = e2e.gw().http.post("/t/api/pay", "{\"who\":\"bob\"}", "X-API-Key", "key-b", "Idempotency-Key", "shared");
    Res bobAgain = e2e.gw().http.post("/t/api/pay", "{\"who\":\"bob\"}", "X-API-Key", "key-b", "Idempotency-Key", "shared");
    Res bobAsAlice = e2e.gw().http.post("/t/api/pay", "{\"who\":\"alice\"}", "X-API-Key", "key-b", "Idempotency-Key", "shared");

    assertThat(alice.status()).isEqualTo(200);
    assertThat(alice.json().get("body").asText()).contains("alice");
    assertThat(bob.status()).isEqualTo(200);
    assertThat(bob.header("Idempotent-Replayed")).isNull();
    assertThat(bob.json().get("body").asText()).contains("bob");
    assertThat(bobAgain.body()).isEqualTo(bob.body());
    assertThat(bobAsAlice.status()).isEqualTo(422);
    assertThat(e2e.up().count("/pay")).isEqualTo(2);
  }

  @Test
  void aStreamedAnswerIsKeptWholeAndReplayed() {
    e2e.up().otherwise("POST /stream", Behavior.chunks(Map.of("Content-Type", "text/plain"), List.of("ab", "cd", "ef"), 20));
    start("");
    Res first = post("/t/api/stream", "{}", "k-stream");
    Res replay = post("/t/api/stream", "{}", "k-stream");
    assertThat(first.body()).isEqualTo("abcdef");
    assertThat(replay.status()).isEqualTo(200);
    assertThat(replay.body()).isEqualTo("abcdef");
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(e2e.up().count("/stream")).isEqualTo(1);
  }

  @Test
  void anAnswerTooLargeToKeepIsStreamedWholeAndReplaysAreTold409() {
    String big = "0123456789".repeat(1000);
    e2e.up().otherwise("POST /big", Behavior.chunks(Map.of("Content-Type", "text/plain"), List.of(big, big), 5));
    e2e.up().otherwise("POST /sized", Behavior.respond(200, Map.of("Content-Type", "text/plain"), big));
    e2e.start(harness("server: {max_response_bytes: 4096}\n", ""));
    for (String path : List.of("/t/api/big", "/t/api/sized")) {
      Res first = post(path, "{}", "k" + path);
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.body()).hasSize(path.endsWith("big") ? 20_000 : 10_000);
      Res replay = post(path, "{}", "k" + path);
      assertThat(replay.status()).as(path).isEqualTo(409);
      assertThat(replay.json().get("code").asText()).isEqualTo("IDEMPOTENCY_RESPONSE_NOT_STORED");
      assertThat(replay.json().get("retryable").asBoolean()).isFalse();
      assertThat(e2e.up().count(path.substring("/t/api".length()))).isEqualTo(1);
    }
    String envelope = "{\"target\":\"api\",\"method\":\"POST\",\"path\":\"/sized\"}";
    assertThat(post("/proxy/http", envelope, "k-env-big").json().get("error").get("code").asText())
        .isEqualTo("UPSTREAM_RESPONSE_TOO_LARGE");
    assertThat(post("/proxy/http", envelope, "k-env-big").json().get("error").get("code").asText())
        .isEqualTo("IDEMPOTENCY_RESPONSE_NOT_STORED");
    assertThat(e2e.up().count("/sized")).isEqualTo(2);
  }

  @Test
  void malformedOrDisagreeingKeysAreRejectedBeforeAnythingRuns() {
    start("");
    String envelope = "{\"target\":\"api\",\"method\":\"POST\",\"path\":\"/pay\",\"idempotency_key\":\"k-field\"}";
    Res disagree = post("/proxy/http", envelope, "k-header");
    assertThat(disagree.status()).isEqualTo(400);
    assertThat(disagree.json().get("error").get("code").asText()).isEqualTo("IDEMPOTENCY_KEY_INVALID");
    Res spaced = post("/t/api/pay", "{}", "has space");
    assertThat(spaced.status()).isEqualTo(400);
    assertThat(spaced.json().get("code").asText()).isEqualTo("IDEMPOTENCY_KEY_INVALID");
    assertThat(post("/proxy/http", envelope, "\"k-field\"").status()).isEqualTo(200);
    assertThat(post("/t/api/pay", "{}", "x".repeat(256)).status()).isEqualTo(400);
    assertThat(e2e.up().count("/pay")).isEqualTo(1);
  }
}
