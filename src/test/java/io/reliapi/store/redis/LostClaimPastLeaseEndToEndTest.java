package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.LogCapture;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.RedisServer;
import io.reliapi.testing.TestHttp.Res;
import io.reliapi.testing.TestYaml;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The holder's side of "re-assert a lost claim only within the lease last secured": the leader is cut off from Redis
 * (renewals fail), Redis comes back having lost everything. Cut off for longer than the lease it last secured, its
 * renewal answers false and stops, the loss is counted and its completion dropped (the key may have been taken over,
 * finished and expired meanwhile); cut off for less, the renewal re-asserts the claim. A failed renewal never moves
 * the deadline; a successful one does.
 */
class LostClaimPastLeaseEndToEndTest {
  private static final String JSON = "application/json";
  private static final Instant START = Instant.parse("2026-11-27T12:00:00Z");
  private static final long THIRD = RedisIdempotencyStore.LEASE_MS / 3 + 100;
  private static final String LOST = "reliapi_idempotency_claims_lost_total{target=\"api\"} 1.0";
  private final RedisServer redis = RedisServer.start();
  private final MockUpstream up = MockUpstream.start();
  private final ManualClock clock = new ManualClock(START);
  private final ManualScheduler scheduler = ManualScheduler.manual(clock);
  private final CompletableFuture<MockUpstream.Call> held = new CompletableFuture<>();
  private final AtomicInteger calls = new AtomicInteger();
  private GatewayHarness gw;

  @BeforeEach
  void start() {
    gw = GatewayHarness.yaml(TestYaml.redisGateway(redis.url(), up.baseUrl(),
        "idempotency: {coalesce_timeout_s: 120}")).clock(clock, scheduler).start();
    up.script("POST /pay", held::complete);
    up.otherwise("POST /pay", Behavior.numbered(calls, 201));
  }

  @AfterEach
  void stop() {
    gw.close();
    up.close();
    redis.close();
  }

  private CompletableFuture<Res> lead(String key) {
    CompletableFuture<Res> leader = post(key);
    held.join();
    await().atMost(Duration.ofSeconds(5)).until(() -> scheduler.pendingCount() == 1);
    return leader;
  }

  private CompletableFuture<Res> post(String key) {
    return gw.http.postAsync("/t/api/pay", "{\"amount\":5}", "Idempotency-Key", key, "Content-Type", JSON);
  }

  /** Lets a third of a lease pass: the renewal runs, and (it did not stop) the next one is scheduled. */
  private void renewalTick() {
    scheduler.advance(Duration.ofMillis(THIRD));
    await().atMost(Duration.ofSeconds(5)).until(() -> scheduler.pendingCount() == 1);
  }

  private void redisDown() {
    redis.stop();
    await().atMost(Duration.ofSeconds(5)).until(() -> gw.http.get("/readyz").status() == 503);
  }

  /** Redis comes back empty (a restart without persistence). */
  private void redisBackEmpty() {
    redis.restart();
    redis.command("FLUSHALL");
    await().atMost(Duration.ofSeconds(10)).until(() -> gw.http.get("/readyz").status() == 200);
    assertThat(redis.keyCount("reliapi:idem:*")).isZero();
  }

  private void answerHeld(String body) {
    held.join().request().response().setStatusCode(201).putHeader("Content-Type", JSON).end(body);
  }

  @Test
  void cutOffLongerThanItsLeaseTheLeaderNeitherReassertsNorStoresAndTheLossIsCounted() {
    try (LogCapture logs = LogCapture.capture()) {
      CompletableFuture<Res> leader = lead("order-gone");
      redisDown();
      renewalTick();
      renewalTick();
      renewalTick(); // more than a lease since the claim, its last secured lease: every renewal failed meanwhile
      redisBackEmpty();

      scheduler.advance(Duration.ofMillis(THIRD));
      await().atMost(Duration.ofSeconds(5)).until(() -> gw.http.get("/metrics").body().contains(LOST));
      assertThat(scheduler.pendingCount()).as("renewing stopped").isZero();
      assertThat(redis.keyCount("reliapi:idem:*")).as("the claim not re-asserted").isZero();

      answerHeld("{\"late\":true}");
      assertThat(leader.join().status()).isEqualTo(201);
      await().atMost(Duration.ofSeconds(5)).until(() -> logs.all().contains("was dropped"));
      assertThat(redis.keyCount("reliapi:idem:*")).as("the completion dropped").isZero();
      assertThat(gw.http.get("/metrics").body()).as("counted once").contains(LOST);
    }
  }

  @Test
  void aSuccessfulRenewalMovesTheDeadlineAndAFailedOneDoesNot() {
    CompletableFuture<Res> leader = lead("order-back");
    renewalTick(); // secured: the lease now ends a third of a lease later than the claim's
    redisDown();
    renewalTick(); // failed
    redisBackEmpty();

    renewalTick(); // past the claim's lease, within the one last secured: re-asserted
    assertThat(redis.keyCount("reliapi:idem:*")).as("the claim re-asserted").isEqualTo(1);
    assertThat(gw.http.get("/metrics").body()).doesNotContain("reliapi_idempotency_claims_lost_total{");

    answerHeld("{\"once\":true}");
    assertThat(leader.join().status()).isEqualTo(201);
    Res replay = post("order-back").join();
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(replay.body()).isEqualTo("{\"once\":true}");
    assertThat(up.count("/pay")).as("upstream calls for one key").isEqualTo(1);
  }
}
