package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.testing.Behavior;
import io.reliapi.testing.FlushedRedis;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.TcpProxy;
import io.reliapi.testing.TestHttp.Res;
import io.reliapi.testing.TestYaml;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two gateway instances on one Redis whose clocks disagree (docs/operations-redis.md, "Clocks"): a key whose
 * leader is alive and renewing is never taken over by an instance whose clock runs ahead, by a few seconds or by
 * more than a lease, nor by one behind; a dead leader's key still comes free. Each instance has a manual clock of
 * its own, B's set {@code skew} away from A's; the upstream call of the leader on A is held by the mock while B's
 * duplicates arrive. The key is forwarded, so a presumed-dead leader would be taken over (a second upstream call).
 */
class ClockSkewEndToEndTest {
  private static final String JSON = "application/json";
  private static final Instant START = Instant.parse("2026-11-27T12:00:00Z");
  private static final String FORWARDED = "idempotency: {forward_header: Idempotency-Key, coalesce_timeout_s: 120}";
  @RegisterExtension
  static final FlushedRedis redis = new FlushedRedis();
  private final MockUpstream up = MockUpstream.start();
  private final List<AutoCloseable> opened = new ArrayList<>();
  private final ManualClock clockA = new ManualClock(START);
  private final ManualScheduler schedulerA = ManualScheduler.manual(clockA);

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : opened.reversed()) {
      closeable.close();
    }
    up.close();
  }

  private GatewayHarness started(String redisUrl, ManualClock clock, ManualScheduler scheduler) {
    return started(redisUrl, clock, scheduler, FORWARDED);
  }

  private GatewayHarness started(String redisUrl, ManualClock clock, ManualScheduler scheduler, String idempotency) {
    GatewayHarness gateway = gateway(redisUrl, clock, scheduler, idempotency);
    opened.add(gateway);
    return gateway;
  }

  private GatewayHarness gateway(String redisUrl, ManualClock clock, ManualScheduler scheduler) {
    return gateway(redisUrl, clock, scheduler, FORWARDED);
  }

  private GatewayHarness gateway(String redisUrl, ManualClock clock, ManualScheduler scheduler, String idempotency) {
    return GatewayHarness.yaml(TestYaml.redisGateway(redisUrl, up.baseUrl(), idempotency))
        .clock(clock, scheduler).start();
  }

  private static CompletableFuture<Res> post(GatewayHarness gw, String key) {
    return gw.http.postAsync("/t/api/pay", "{\"amount\":5}", "Idempotency-Key", key, "Content-Type", JSON);
  }

  @Test
  void anInstanceAFewSecondsAheadWaitsForALiveLeader() {
    liveLeaderKeepsItsKeyAgainstAnInstanceSkewedBy(Duration.ofSeconds(3), "order-ahead-3s");
  }

  @Test
  void anInstanceMoreThanALeaseAheadNeverTakesOverALiveLeadersKey() {
    liveLeaderKeepsItsKeyAgainstAnInstanceSkewedBy(Duration.ofSeconds(25), "order-ahead-25s");
  }

  @Test
  void anInstanceMoreThanALeaseBehindWaitsForALiveLeader() {
    liveLeaderKeepsItsKeyAgainstAnInstanceSkewedBy(Duration.ofSeconds(-25), "order-behind-25s");
  }

  /**
   * Without {@code forward_header} a lease that seems over means "outcome unknown" (504): B, more than a lease
   * ahead, must not say so of a live leader's key (it has not seen the claim unrenewed for a whole lease).
   */
  @Test
  void anInstanceMoreThanALeaseAheadAnswersALiveLeadersDuplicatesWithItsAnswerWithoutAForwardHeader() {
    liveLeaderKeepsItsKeyAgainstAnInstanceSkewedBy(Duration.ofSeconds(25), "order-ahead-25s-unforwarded",
        "idempotency: {coalesce_timeout_s: 120}");
  }

  private void liveLeaderKeepsItsKeyAgainstAnInstanceSkewedBy(Duration skew, String key) {
    liveLeaderKeepsItsKeyAgainstAnInstanceSkewedBy(skew, key, FORWARDED);
  }

  /**
   * The leader on A holds its upstream call for three leases and more, renewing its lease every third of one on
   * A's clock; B, {@code skew} away, gets five duplicates meanwhile. They wait, and all get the leader's answer.
   */
  private void liveLeaderKeepsItsKeyAgainstAnInstanceSkewedBy(Duration skew, String key, String idempotency) {
    ManualClock clockB = new ManualClock(START.plus(skew));
    ManualScheduler schedulerB = ManualScheduler.manual(clockB);
    GatewayHarness a = started(redis.url(), clockA, schedulerA, idempotency);
    GatewayHarness b = started(redis.url(), clockB, schedulerB, idempotency);
    CompletableFuture<MockUpstream.Call> held = new CompletableFuture<>();
    AtomicInteger calls = new AtomicInteger();
    up.script("POST /pay", held::complete);
    up.otherwise("POST /pay", Behavior.numbered(calls, 201));

    CompletableFuture<Res> leader = post(a, key);
    held.join();
    await().atMost(Duration.ofSeconds(5)).until(() -> schedulerA.pendingCount() == 1);
    List<CompletableFuture<Res>> followers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      followers.add(post(b, key));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> schedulerB.pendingCount() == 5 || up.count("/pay") > 1
        || followers.stream().anyMatch(CompletableFuture::isDone));
    assertThat(up.count("/pay")).as("upstream calls for one key").isEqualTo(1);
    assertThat(followers).noneMatch(CompletableFuture::isDone);

    long third = RedisIdempotencyStore.LEASE_MS / 3 + 100;
    for (long passed = 0; passed < 3 * RedisIdempotencyStore.LEASE_MS + 1_000; passed += third) {
      schedulerA.advance(Duration.ofMillis(third));
      await().atMost(Duration.ofSeconds(5)).until(() -> schedulerA.pendingCount() == 1);
      schedulerB.advance(Duration.ofMillis(third));
      await().atMost(Duration.ofSeconds(5)).until(() -> schedulerB.pendingCount() == 5 || up.count("/pay") > 1);
      assertThat(up.count("/pay")).as("upstream calls for one key").isEqualTo(1);
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

  /**
   * The leader's instance dies mid-call; B, more than a lease ahead, still frees the key: after seeing the claim
   * unrenewed for one lease of its own time, exactly one follower takes over and the rest get its answer.
   */
  @Test
  void aDeadLeadersKeyIsTakenOverByAnInstanceALeaseAheadAfterOneLeaseOfItsOwnTime() {
    ManualClock clockB = new ManualClock(START.plusSeconds(25));
    ManualScheduler schedulerB = ManualScheduler.manual(clockB);
    TcpProxy partition = TcpProxy.to(redis.port());
    opened.add(partition);
    GatewayHarness a = gateway("redis://127.0.0.1:" + partition.port() + "/0", clockA, schedulerA);
    GatewayHarness b = started(redis.url(), clockB, schedulerB);
    AtomicInteger calls = new AtomicInteger();
    up.script("POST /pay", Behavior.silence());
    up.otherwise("POST /pay", Behavior.numbered(calls, 201));

    CompletableFuture<Res> leader = post(a, "order-dead");
    await().atMost(Duration.ofSeconds(5)).until(() -> up.count("/pay") == 1);
    List<CompletableFuture<Res>> followers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      followers.add(post(b, "order-dead"));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> schedulerB.pendingCount() == 4 || up.count("/pay") > 1);
    partition.cut();
    a.close();
    leader.handle((r, e) -> null).join();
    assertThat(up.count("/pay")).isEqualTo(1);
    assertThat(followers).noneMatch(CompletableFuture::isDone);

    schedulerB.advance(Duration.ofMillis(RedisIdempotencyStore.LEASE_MS + 1));
    List<Res> answers = followers.stream().map(CompletableFuture::join).toList();

    assertThat(answers).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(201);
      assertThat(r.body()).isEqualTo("{\"call\":1}");
    });
    assertThat(up.count("/pay")).isEqualTo(2);
  }

  /**
   * Duplicates that each wait less than a lease (here the coalescing bound, 4 s; a short deadline does the same)
   * add up what this instance saw: the claim unrenewed across three of them for a lease, the third takes the dead
   * leader's key over, rather than each starting its watch afresh and the key staying in progress until its TTL.
   */
  @Test
  void duplicatesThatEachWaitLessThanALeaseStillTakeADeadLeadersKeyOver() {
    String shortWait = "idempotency: {forward_header: Idempotency-Key, coalesce_timeout_s: 4}";
    ManualClock clockB = new ManualClock(START);
    ManualScheduler schedulerB = ManualScheduler.manual(clockB);
    TcpProxy partition = TcpProxy.to(redis.port());
    opened.add(partition);
    GatewayHarness a = gateway("redis://127.0.0.1:" + partition.port() + "/0", clockA, schedulerA, shortWait);
    GatewayHarness b = started(redis.url(), clockB, schedulerB, shortWait);
    AtomicInteger calls = new AtomicInteger();
    up.script("POST /pay", Behavior.silence());
    up.otherwise("POST /pay", Behavior.numbered(calls, 201));

    CompletableFuture<Res> leader = post(a, "order-short");
    await().atMost(Duration.ofSeconds(5)).until(() -> up.count("/pay") == 1);
    partition.cut();
    a.close();
    leader.handle((r, e) -> null).join();
    schedulerB.advance(Duration.ofMillis(RedisIdempotencyStore.LEASE_MS + 1));

    List<Integer> statuses = new ArrayList<>();
    Res last = null;
    for (int i = 0; i < 4 && (last == null || last.status() == 409); i++) {
      CompletableFuture<Res> duplicate = post(b, "order-short");
      await().atMost(Duration.ofSeconds(5)).until(() -> schedulerB.pendingCount() == 1 || duplicate.isDone());
      schedulerB.advance(Duration.ofMillis(4_001));
      last = duplicate.join();
      statuses.add(last.status());
    }

    assertThat(statuses).as("a lease after the first duplicate saw it, the key is taken over").containsExactly(409, 409, 201);
    assertThat(last.body()).isEqualTo("{\"call\":1}");
    assertThat(up.count("/pay")).isEqualTo(2);
  }
}
