package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.FlushedRedis;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.TestHttp.Res;
import io.reliapi.testing.TestYaml;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis loses a key's claim while its leader runs (FLUSHALL here; a restart without persistence or a failover does
 * the same): two gateway instances on one Redis, each on a manual clock, the leader's upstream call held by the mock.
 * The leader's next renewal re-asserts the claim, so a duplicate arriving after it waits and gets the replay; one
 * arriving before it executes again, and that is never silent (docs/operations-redis.md, "When Redis fails").
 */
class LostClaimEndToEndTest {
  private static final String JSON = "application/json";
  private static final Instant START = Instant.parse("2026-11-27T12:00:00Z");
  private static final long THIRD = RedisIdempotencyStore.LEASE_MS / 3 + 100;
  private static final String LOST = "reliapi_idempotency_claims_lost_total{target=\"api\"} 1.0";
  @RegisterExtension
  static final FlushedRedis redis = new FlushedRedis();
  private final MockUpstream up = MockUpstream.start();
  private final ManualClock clockA = new ManualClock(START);
  private final ManualScheduler schedulerA = ManualScheduler.manual(clockA);
  private final ManualClock clockB = new ManualClock(START);
  private final ManualScheduler schedulerB = ManualScheduler.manual(clockB);
  private final CompletableFuture<MockUpstream.Call> held = new CompletableFuture<>();
  private final AtomicInteger calls = new AtomicInteger();
  private GatewayHarness a;
  private GatewayHarness b;

  @BeforeEach
  void start() {
    a = gateway(clockA, schedulerA);
    b = gateway(clockB, schedulerB);
    up.script("POST /pay", held::complete);
    up.otherwise("POST /pay", Behavior.numbered(calls, 201));
  }

  @AfterEach
  void stop() {
    b.close();
    a.close();
    up.close();
  }

  private GatewayHarness gateway(ManualClock clock, ManualScheduler scheduler) {
    return GatewayHarness.yaml(TestYaml.redisGateway(redis.url(), up.baseUrl(),
        "idempotency: {coalesce_timeout_s: 120}")).clock(clock, scheduler).start();
  }

  private static CompletableFuture<Res> post(GatewayHarness gw, String key) {
    return gw.http.postAsync("/t/api/pay", "{\"amount\":5}", "Idempotency-Key", key, "Content-Type", JSON);
  }

  /** Starts the leader on A, its upstream call held, its renewal timer pending; then Redis loses everything. */
  private CompletableFuture<Res> leaderThenFlush(String key) {
    CompletableFuture<Res> leader = post(a, key);
    held.join();
    await().atMost(Duration.ofSeconds(5)).until(() -> schedulerA.pendingCount() == 1);
    redis.command("FLUSHALL");
    assertThat(redis.keyCount("reliapi:idem:*")).isZero();
    return leader;
  }

  /** Lets a third of a lease pass on A: its renewal runs, and the next one is scheduled. */
  private void renewOnA() {
    schedulerA.advance(Duration.ofMillis(THIRD));
    await().atMost(Duration.ofSeconds(5)).until(() -> schedulerA.pendingCount() == 1);
  }

  private void answerHeld(String body) {
    held.join().request().response().setStatusCode(201).putHeader("Content-Type", JSON).end(body);
  }

  @Test
  void theLeadersRenewalReassertsALostClaimSoADuplicateWaitsForItsAnswer() {
    CompletableFuture<Res> leader = leaderThenFlush("order-flushed");
    renewOnA();
    await().atMost(Duration.ofSeconds(5)).until(() -> redis.keyCount("reliapi:idem:*") == 1);

    CompletableFuture<Res> duplicate = post(b, "order-flushed");
    await().atMost(Duration.ofSeconds(5)).until(() -> schedulerB.pendingCount() == 1 || duplicate.isDone());
    assertThat(duplicate).as("the duplicate waits for the leader").isNotDone();
    answerHeld("{\"once\":true}");

    assertThat(leader.join().status()).isEqualTo(201);
    Res replay = duplicate.join();
    assertThat(replay.status()).isEqualTo(201);
    assertThat(replay.body()).isEqualTo("{\"once\":true}");
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(up.count("/pay")).as("upstream calls for one key").isEqualTo(1);
    assertThat(a.http.get("/metrics").body()).doesNotContain("reliapi_idempotency_claims_lost_total{");
  }

  /**
   * A duplicate that arrives between the loss and the renewal finds the key free and executes: the leader's renewal
   * finds its claim, which is reported (a warning and the metric, once), and that duplicate's answer is the one kept.
   */
  @Test
  void aDuplicateThatSlippedInBeforeTheRenewalIsReportedAndItsAnswerKept() {
    CompletableFuture<Res> leader = leaderThenFlush("order-twice");
    Res second = post(b, "order-twice").join();
    assertThat(second.status()).isEqualTo(201);
    assertThat(up.count("/pay")).isEqualTo(2);

    renewOnAUntilStopped();
    answerHeld("{\"first\":true}");
    assertThat(leader.join().status()).isEqualTo(201);

    await().atMost(Duration.ofSeconds(5)).until(() -> a.http.get("/metrics").body().contains(LOST));
    Res later = post(a, "order-twice").join();
    assertThat(later.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(later.body()).isEqualTo(second.body());
    assertThat(a.http.get("/metrics").body()).as("reported once, not again at completion").contains(LOST);
  }

  /** A renewal that finds another request's claim stops renewing: no timer is left pending. */
  private void renewOnAUntilStopped() {
    schedulerA.advance(Duration.ofMillis(THIRD));
    await().atMost(Duration.ofSeconds(5)).until(() -> a.http.get("/metrics").body().contains(LOST));
    assertThat(schedulerA.pendingCount()).isZero();
  }
}
