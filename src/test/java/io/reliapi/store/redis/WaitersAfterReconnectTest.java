package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.config.RedisConfig;
import io.reliapi.store.Claim;
import io.reliapi.store.ClaimRequest;
import io.reliapi.store.IdempotencyRecord;
import io.reliapi.store.IdempotencyScope;
import io.reliapi.store.IdempotencyStore;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Waiters re-read their keys when the completion channel comes back ({@link CompletionWaiters}): a key released
 * meanwhile wakes them at once; a key Redis lost leaves them waiting long enough for its holder to re-assert it,
 * however soon their own timers were due. The subscription is broken once with {@code CLIENT KILL TYPE pubsub}, after
 * it was confirmed (the store is connected) and after the waiter's own first read landed: a read still on its way
 * when the key changes would find the marker or the empty key itself and end the wait before any re-read. Waits are
 * extended by the monotonic clock, in total to their original end plus a third of a lease + 1 s at most, and a read
 * taken before a re-read does not end the wait, whichever is answered first.
 */
class WaitersAfterReconnectTest {
  private static final long LEASE_MS = RedisIdempotencyStore.LEASE_MS;
  private static final long REASSERTED_WITHIN_MS = LEASE_MS / 3 + CompletionWaiters.REASSERT_MARGIN_MS;
  @RegisterExtension
  static final RedisFixture fixture = new RedisFixture();
  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = ManualScheduler.manual(clock);

  private IdempotencyStore store() {
    fixture.reset();
    return fixture.instance(clock, scheduler).idempotency().shared();
  }

  private static IdempotencyScope scope(String key) {
    return new IdempotencyScope("client", "target", key);
  }

  private static String lead(IdempotencyStore store, String key) throws Exception {
    ClaimRequest request = new ClaimRequest(scope(key), "owner-" + key, "fp", 1_000, LEASE_MS, 60_000);
    return ((Claim.Leader) store.claim(request).await(10, TimeUnit.SECONDS)).owner();
  }

  /** Starts waiting on {@code key} and returns once the wait's first read has run in Redis (the key still held). */
  private static Future<Optional<IdempotencyRecord>> awaitAfterItsRead(IdempotencyStore store, String key,
      long timeoutMs) {
    long before = fixture.redis.scriptsRun();
    Future<Optional<IdempotencyRecord>> waiter = store.await(scope(key), timeoutMs);
    await().atMost(Duration.ofSeconds(10)).until(() -> fixture.redis.scriptsRun() > before);
    assertThat(waiter.isComplete()).as("the key is held: the waiter waits").isFalse();
    return waiter;
  }

  private static void breakTheChannel() {
    assertThat(fixture.redis.command("CLIENT KILL TYPE pubsub")).as("a subscription was killed").isNotEqualTo(":0");
  }

  /** Waits on {@code key} (held) for 2 s, lets 1.9 s pass and has Redis lose the key. */
  private Future<Optional<IdempotencyRecord>> waitingOnALostKey(IdempotencyStore store, String key) {
    Future<Optional<IdempotencyRecord>> waiter = awaitAfterItsRead(store, key, 2_000);
    scheduler.advance(Duration.ofMillis(1_900));
    fixture.redis.command("FLUSHALL");
    return waiter;
  }

  private void awaitTimerOf(long delayMs) {
    await("a timer of " + delayMs + " ms").atMost(Duration.ofSeconds(10))
        .until(() -> scheduler.requestedDelaysMs().contains(delayMs));
  }

  /** The release was announced while no subscription was up; the re-read finds its marker and wakes the waiter. */
  @Test
  void aKeyReleasedWhileTheChannelWasDownWakesItsWaitersWhenItComesBack() throws Exception {
    IdempotencyStore store = store();
    String owner = lead(store, "released");
    Future<Optional<IdempotencyRecord>> waiter = awaitAfterItsRead(store, "released", 60_000);
    String key = Keys.idempotency(scope("released"));
    fixture.redis.command("DEL " + key);
    fixture.redis.command("HSET " + key + " s x o " + owner);

    breakTheChannel();
    await().atMost(Duration.ofSeconds(10)).until(waiter::isComplete);
    assertThat(waiter.result()).isEmpty();
  }

  /**
   * The waiter's own timer was due 100 ms after Redis came back without the key; it fires only once the holder's
   * renewal, a third of a lease later, could have re-asserted the claim, and then finds it running.
   */
  @Test
  void aKeyRedisLostKeepsItsWaitersUntilTheHolderCouldReassertIt() throws Exception {
    IdempotencyStore store = store();
    String owner = lead(store, "lost");
    Future<Optional<IdempotencyRecord>> waiter = waitingOnALostKey(store, "lost");

    breakTheChannel();
    awaitTimerOf(REASSERTED_WITHIN_MS);
    scheduler.advance(Duration.ofMillis(200));
    assertThat(waiter.isComplete()).as("woken before the holder's renewal").isFalse();

    assertThat(store.renew(scope("lost"), owner, "fp", LEASE_MS, 60_000, Long.MAX_VALUE).await(10, TimeUnit.SECONDS))
        .isTrue();
    scheduler.advance(Duration.ofMillis(REASSERTED_WITHIN_MS));
    Optional<IdempotencyRecord> seen = waiter.await(10, TimeUnit.SECONDS);
    assertThat(((IdempotencyRecord.InProgress) seen.orElseThrow()).owner()).isEqualTo(owner);
  }

  /** The wall clock stepped back an hour before the re-read: the wait is extended all the same (monotonic clock). */
  @Test
  void aWallClockSteppedBackDoesNotSkipTheExtension() throws Exception {
    IdempotencyStore store = store();
    lead(store, "stepped");
    Future<Optional<IdempotencyRecord>> waiter = waitingOnALostKey(store, "stepped");
    clock.stepWallClock(Duration.ofHours(-1));

    breakTheChannel();
    awaitTimerOf(REASSERTED_WITHIN_MS);
    scheduler.advance(Duration.ofMillis(200));
    assertThat(waiter.isComplete()).as("woken when its own timer was due, before the holder's renewal").isFalse();
  }

  /**
   * The channel comes back a second time, 100 ms before the extended wait ends: the wait is extended to its original
   * end plus a third of a lease + 1 s, no further, so a key whose holder is dead is not waited on forever.
   */
  @Test
  void aWaitIsExtendedInTotalToItsEndPlusAThirdOfALeaseAtMost() throws Exception {
    IdempotencyStore store = store();
    lead(store, "dead");
    Future<Optional<IdempotencyRecord>> waiter = waitingOnALostKey(store, "dead");
    breakTheChannel();
    awaitTimerOf(REASSERTED_WITHIN_MS);
    scheduler.advance(Duration.ofMillis(REASSERTED_WITHIN_MS - 100));

    breakTheChannel();
    awaitTimerOf(200);
    scheduler.advance(Duration.ofMillis(200));
    assertThat(waiter.await(10, TimeUnit.SECONDS)).as("the dead holder's key, free").isEmpty();
  }

  /**
   * The waiter's timer fired as the channel came back: its read was still on its way when the re-read found the key
   * lost and extended the wait. That read finds the key empty too, and does not end the wait. The test holds the read,
   * so the order is certain.
   */
  @Test
  void aReadTakenBeforeTheWaitWasExtendedDoesNotEndIt() throws Exception {
    timersReadFindsTheKeyLost(false);
  }

  /**
   * The waiter's timer fired as the channel came back, and its read is answered "empty" before the re-read returns
   * (before the re-read could extend the wait): it was taken before the re-read, so it does not end the wait; the
   * re-read decides. The test holds both reads, so the order is certain.
   */
  @Test
  void aReadAnsweredBeforeTheReReadDoesNotEndTheWait() throws Exception {
    timersReadFindsTheKeyLost(true);
  }

  /**
   * A wait of 2 s on a held key whose timer's read is held while Redis loses the key and the channel comes back; that
   * read is answered "empty" after the re-read extended the wait or, {@code beforeTheReRead}, while the re-read is
   * held too. The wait must end only with the record the holder re-asserted.
   */
  private void timersReadFindsTheKeyLost(boolean beforeTheReRead) throws Exception {
    fixture.reset();
    CompletionWaiters.KeyRead held = new CompletionWaiters.KeyRead(
        Optional.of(new IdempotencyRecord.InProgress("fp", "owner", Long.MAX_VALUE)), false);
    CompletionWaiters.KeyRead lost = new CompletionWaiters.KeyRead(Optional.empty(), false);
    AtomicReference<CompletionWaiters.KeyRead> key = new AtomicReference<>(held);
    AtomicReference<Promise<CompletionWaiters.KeyRead>> holdNextRead = new AtomicReference<>();
    RedisLink link = new RedisLink(fixture.vertx, fixture.config(RedisConfig.OnUnavailable.FAIL_CLOSED));
    CompletionWaiters waiters = new CompletionWaiters(link, clock, scheduler, LEASE_MS, recordKey -> {
      Promise<CompletionWaiters.KeyRead> hold = holdNextRead.getAndSet(null);
      return hold != null ? hold.future() : Future.succeededFuture(key.get());
    });
    waiters.start().await(10, TimeUnit.SECONDS);
    Future<Optional<IdempotencyRecord>> waiter = waiters.await("held", 2_000, Promise.promise().future());
    Promise<CompletionWaiters.KeyRead> timersRead = Promise.promise();
    holdNextRead.set(timersRead);
    scheduler.advance(Duration.ofMillis(2_000));
    assertThat(holdNextRead.get()).as("the timer's read was sent").isNull();

    key.set(lost);
    Promise<CompletionWaiters.KeyRead> reRead = Promise.promise();
    if (beforeTheReRead) {
      holdNextRead.set(reRead);
    } else {
      reRead.complete(lost);
    }
    breakTheChannel();
    if (beforeTheReRead) {
      await("the re-read").atMost(Duration.ofSeconds(10)).until(() -> holdNextRead.get() == null);
    } else {
      awaitTimerOf(REASSERTED_WITHIN_MS);
    }
    timersRead.complete(lost);
    assertThat(waiter.isComplete()).as("woken by a read taken before the re-read").isFalse();

    if (beforeTheReRead) {
      reRead.complete(lost);
      awaitTimerOf(REASSERTED_WITHIN_MS);
    }
    key.set(held);
    scheduler.advance(Duration.ofMillis(REASSERTED_WITHIN_MS));
    assertThat(waiter.await(10, TimeUnit.SECONDS)).contains(held.record().orElseThrow());
    waiters.close().await(10, TimeUnit.SECONDS);
    link.close().await(10, TimeUnit.SECONDS);
  }
}
