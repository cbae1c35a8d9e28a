package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.store.IdempotencyScope;
import io.reliapi.testing.Behavior;
import io.reliapi.testing.FlushedRedis;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MockUpstream;
import io.reliapi.testing.TcpProxy;
import io.reliapi.testing.TestHttp.Res;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two gateway instances on one standalone Redis (SPEC §3.3–§3.4, issue 6): the shared guarantees of
 * {@link SharedStateContract}, and what happens when an instance dies holding a key: its keys come free
 * after the lease.
 */
class TwoInstancesEndToEndTest extends SharedStateContract {
  @RegisterExtension
  static final FlushedRedis redis = new FlushedRedis();

  @Override
  String redis(int instance) {
    return "{url: \"%s\", timeout_ms: %d}".formatted(redis.url(), TIMEOUT_MS);
  }

  @Override
  int keyCount(String pattern) {
    return redis.keyCount(pattern);
  }

  @Override
  String get(String key) {
    return redis.command("GET " + key);
  }

  private static String redisAt(String url) {
    return "{url: \"%s\"}".formatted(url);
  }

  private GatewayHarness.Builder instance(String url, String targetExtras) {
    return instanceOn(redisAt(url), targetExtras);
  }

  /** Returns the Redis key of an idempotency key sent by the anonymous caller to target {@code api}. */
  private static String recordOf(String key) {
    return Keys.idempotency(new IdempotencyScope("anonymous", "api", key));
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
    up.otherwise("POST /pay", Behavior.numbered(calls, 201));

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

}
