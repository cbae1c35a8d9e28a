package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.reliapi.store.IdempotencyScope;
import io.reliapi.store.IdempotencyStore;
import io.reliapi.store.StoreUnavailableException;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.RedisMonitor;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Waiter marks in Redis whose answer is lost or refused (the contract's cases are in {@link
 * RedisIdempotencyStoreTest}): a waiter that still waits ends up marked, one that stopped ends up unmarked.
 */
class RedisWaiterMarksTest {
  @RegisterExtension
  static final RedisFixture fixture = new RedisFixture();
  private static final IdempotencyScope SCOPE = new IdempotencyScope("client", "target", "s1");
  private static final String WAITERS = Keys.idempotencyWaiters(SCOPE);
  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = ManualScheduler.manual(clock);
  private IdempotencyStore store;

  @BeforeEach
  void start() {
    fixture.reset();
    store = fixture.instance(clock, scheduler).idempotency().shared();
  }

  @AfterEach
  void undo() {
    fixture.redis.command("CLIENT UNPAUSE");
    fixture.redis.command("CONFIG SET min-replicas-to-write 0");
  }

  private static <T> T waitFor(Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }

  /**
   * Returns the store of an instance whose commands may take 300 ms, which marked waiter w1 while Redis held writes
   * back: it got no answer, and Redis makes the mark once {@code CLIENT UNPAUSE} lets it.
   */
  private IdempotencyStore markedWithoutAnAnswer() {
    IdempotencyStore impatient = fixture.impatientIdempotency(clock, scheduler);
    fixture.redis.command("CLIENT PAUSE 1500 WRITE");
    assertThatThrownBy(() -> waitFor(impatient.markWaiting(SCOPE, "w1", 30_000)))
        .isInstanceOf(StoreUnavailableException.class);
    return impatient;
  }

  private boolean awaited() throws Exception {
    return waitFor(store.awaited(SCOPE, ""));
  }

  @Test
  void aMarkRedisMadeAfterItsAnswerWasLostCountsWhileItsWaiterWaits() throws Exception {
    try (RedisMonitor monitor = RedisMonitor.on(fixture.redis.port())) {
      IdempotencyStore impatient = markedWithoutAnAnswer();
      fixture.redis.command("CLIENT UNPAUSE");
      await().atMost(Duration.ofSeconds(5)).until(() -> monitor.ran("\"ZADD\" \"" + WAITERS + "\"") == 1);
      scheduler.advance(Duration.ofMillis(Resender.MAX_PAUSE_MS));
      assertThat(awaited()).as("its waiter still waits").isTrue();
      assertThat(monitor.ran("\"ZREM\" \"" + WAITERS + "\"")).isZero();

      waitFor(impatient.unmarkWaiting(SCOPE, "w1"));
      assertThat(awaited()).isFalse();
    }
  }

  @Test
  void aMarkRedisMadeAfterItsWaiterStoppedIsRemovedAfterIt() throws Exception {
    try (RedisMonitor monitor = RedisMonitor.on(fixture.redis.port())) {
      IdempotencyStore impatient = markedWithoutAnAnswer();
      // Its removal may run before the mark, on another connection: the mark is removed again once it is made.
      impatient.unmarkWaiting(SCOPE, "w1");
      fixture.redis.command("CLIENT UNPAUSE");
      await().atMost(Duration.ofSeconds(5)).until(() -> monitor.ran("\"ZREM\" \"" + WAITERS + "\"") == 2);
      assertThat(monitor.ran("\"ZADD\" \"" + WAITERS + "\"")).isEqualTo(1);
      scheduler.advance(Duration.ofMillis(Resender.MAX_PAUSE_MS));
      assertThat(monitor.ran("\"ZADD\" \"" + WAITERS + "\"")).as("never sent again").isEqualTo(1);
    }
    assertThat(fixture.redis.command("EXISTS " + WAITERS)).isEqualTo(":0");
  }

  @Test
  void aMarkRedisRefusedIsSentAgainUntilItIsMade() throws Exception {
    fixture.redis.command("CONFIG SET min-replicas-to-write 1");
    assertThatThrownBy(() -> waitFor(store.markWaiting(SCOPE, "w1", 30_000)))
        .isInstanceOf(StoreUnavailableException.class);
    assertThat(awaited()).isFalse();
    fixture.redis.command("CONFIG SET min-replicas-to-write 0");

    scheduler.advance(Duration.ofMillis(RedisHealth.PROBE_MS));
    await().atMost(Duration.ofSeconds(5)).until(this::awaited);
    try (RedisMonitor monitor = RedisMonitor.on(fixture.redis.port())) {
      scheduler.advance(Duration.ofMillis(Resender.MAX_PAUSE_MS * 2));
      waitFor(store.awaited(SCOPE, ""));
      assertThat(monitor.ran("\"ZADD\" \"" + WAITERS + "\"")).as("made: never sent again").isZero();
    }
    waitFor(store.unmarkWaiting(SCOPE, "w1"));
    assertThat(awaited()).isFalse();
  }

  @Test
  void aMarkIsNotSentAgainOnceItsWaiterStoppedOrItsEndPassed() throws Exception {
    fixture.redis.command("CONFIG SET min-replicas-to-write 1");
    assertThatThrownBy(() -> waitFor(store.markWaiting(SCOPE, "stopped", 30_000)))
        .isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(() -> waitFor(store.markWaiting(SCOPE, "short", 1_000)))
        .isInstanceOf(StoreUnavailableException.class);
    store.unmarkWaiting(SCOPE, "stopped");
    scheduler.advance(Duration.ofMillis(1_000));
    fixture.redis.command("CONFIG SET min-replicas-to-write 0");
    try (RedisMonitor monitor = RedisMonitor.on(fixture.redis.port())) {
      scheduler.advance(Duration.ofMillis(Resender.MAX_PAUSE_MS * 2));
      assertThat(awaited()).isFalse();
      assertThat(monitor.ran("\"ZADD\" \"" + WAITERS + "\"")).isZero();
    }
    assertThat(scheduler.pendingCount()).as("nothing left to send").isZero();
  }

  @Test
  void theWaitersOfAKeyExpireWithTheirLongestMark() throws Exception {
    waitFor(store.markWaiting(SCOPE, "long", 60_000));
    assertThat(pttl(WAITERS)).isPositive().isLessThanOrEqualTo(60_000);
    waitFor(store.markWaiting(SCOPE, "short", 1_000));
    assertThat(pttl(WAITERS)).as("a shorter mark leaves the set its time").isGreaterThan(50_000);
  }

  private static long pttl(String key) {
    return Long.parseLong(fixture.redis.command("PTTL " + key).substring(1));
  }
}
