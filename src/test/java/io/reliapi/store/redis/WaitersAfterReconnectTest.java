package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.store.Claim;
import io.reliapi.store.ClaimRequest;
import io.reliapi.store.IdempotencyRecord;
import io.reliapi.store.IdempotencyScope;
import io.reliapi.store.IdempotencyStore;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Waiters re-read their keys when the completion channel comes back ({@link CompletionWaiters}): a key released
 * meanwhile wakes them at once; a key Redis lost leaves them waiting long enough for its holder to re-assert it,
 * however soon their own timers were due. The subscription is broken once with {@code CLIENT KILL TYPE pubsub}, after
 * it was confirmed (the store is connected) and after the waiter's own first read landed: a read still on its way
 * when the key changes would find the marker or the empty key itself and end the wait before any re-read.
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
    Future<Optional<IdempotencyRecord>> waiter = awaitAfterItsRead(store, "lost", 2_000);
    scheduler.advance(Duration.ofMillis(1_900));
    fixture.redis.command("FLUSHALL");

    breakTheChannel();
    await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.requestedDelaysMs().contains(REASSERTED_WITHIN_MS));
    scheduler.advance(Duration.ofMillis(200));
    assertThat(waiter.isComplete()).as("woken before the holder's renewal").isFalse();

    assertThat(store.renew(scope("lost"), owner, "fp", LEASE_MS, 60_000, Long.MAX_VALUE).await(10, TimeUnit.SECONDS))
        .isTrue();
    scheduler.advance(Duration.ofMillis(REASSERTED_WITHIN_MS));
    Optional<IdempotencyRecord> seen = waiter.await(10, TimeUnit.SECONDS);
    assertThat(((IdempotencyRecord.InProgress) seen.orElseThrow()).owner()).isEqualTo(owner);
  }
}
