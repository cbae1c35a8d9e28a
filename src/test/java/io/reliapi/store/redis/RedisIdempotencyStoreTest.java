package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;

import io.reliapi.config.RedisConfig;
import io.reliapi.store.Claim;
import io.reliapi.store.ClaimRequest;
import io.reliapi.store.IdempotencyRecord;
import io.reliapi.store.IdempotencyStore;
import io.reliapi.store.IdempotencyStoreContract;
import io.reliapi.store.Outcome;
import io.reliapi.store.StoreUnavailableException;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.vertx.core.Future;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The idempotency store contract against a real redis-server, and what only Redis needs: answers that are
 * lost (a command runs out of time, Redis goes away) while the command runs anyway, or not at all.
 */
class RedisIdempotencyStoreTest extends IdempotencyStoreContract {
  @RegisterExtension
  static final RedisFixture fixture = new RedisFixture();
  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = ManualScheduler.manual(clock);

  @Override
  protected IdempotencyStore newStore() {
    fixture.reset();
    return fixture.instance(clock, scheduler).idempotency().shared();
  }

  @Override
  protected void elapse(Duration duration) {
    scheduler.advance(duration);
  }

  @AfterEach
  void unpause() {
    fixture.redis.command("CLIENT UNPAUSE");
  }

  private static <T> T waitFor(Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }

  @Test
  void aClaimWhoseAnswerWasLostIsReleasedOnceRedisRanIt() throws Exception {
    IdempotencyStore impatient = fixture.impatientIdempotency(clock, scheduler);
    try (Socket signals = subscribe()) {
      fixture.redis.command("CLIENT PAUSE 1500 WRITE");
      ClaimRequest lost = request("s1", "fp", LEASE_MS);
      assertThatThrownBy(() -> waitFor(impatient.claim(lost))).isInstanceOf(StoreUnavailableException.class);
      fixture.redis.command("CLIENT UNPAUSE");

      // Redis ran the claim after the gateway gave up on it; the release of it is announced.
      awaitMessage(signals, "0" + Keys.idempotency(scope("s1")));
    }
    assertThat(fixture.redis.command("ZCARD " + Keys.idempotencyCount("client"))).as("records counted").isEqualTo(":0");
    assertThat(waitFor(store.claim(request("s1", "fp", LEASE_MS)))).isInstanceOf(Claim.Leader.class);
  }

  /** Redis lost the claim while its holder ran (FLUSHALL, a restart without persistence, a failover). */
  private String leadThenLoseEverything(String key, String fingerprint) throws Exception {
    String owner = ((Claim.Leader) waitFor(store.claim(request(key, fingerprint, LEASE_MS)))).owner();
    fixture.redis.command("FLUSHALL");
    return owner;
  }

  @Test
  void theHoldersRenewalReassertsAClaimRedisLostSoADuplicateFindsItInProgress() throws Exception {
    String owner = leadThenLoseEverything("s1", "fp-a");
    assertThat(waitFor(store.renew(scope("s1"), owner, "fp-a", LEASE_MS, TTL_MS, WITHIN_LEASE))).isTrue();

    Claim duplicate = waitFor(store.claim(request("s1", "fp-a", LEASE_MS)));
    IdempotencyRecord.InProgress running = (IdempotencyRecord.InProgress) ((Claim.Existing) duplicate).record();
    assertThat(running.owner()).isEqualTo(owner);
    assertThat(running.fingerprint()).isEqualTo("fp-a");
    assertThat(store.leaseLeftMs(running)).isPositive();
    assertThat(fixture.redis.command("ZCARD " + Keys.idempotencyCount("client"))).as("counted again").isEqualTo(":1");
  }

  @Test
  void theHoldersCompletionStoresItsOutcomeOnAKeyRedisLost() throws Exception {
    String owner = leadThenLoseEverything("s1", "fp-a");
    assertThat(waitFor(store.complete(scope("s1"), owner, "fp-a", new Outcome.Replied(reply(201, "kept")), TTL_MS,
        WITHIN_LEASE)))
        .isTrue();

    IdempotencyRecord.Done done = (IdempotencyRecord.Done) ((Claim.Existing) waitFor(store.claim(
        request("s1", "fp-a", LEASE_MS)))).record();
    assertThat(done.fingerprint()).isEqualTo("fp-a");
    assertThat(((Outcome.Replied) done.outcome()).reply().body().toString()).isEqualTo("kept");
    assertThat(waitFor(store.complete(scope("s1"), owner, "fp-a", new Outcome.Unknown(), TTL_MS, WITHIN_LEASE)))
        .as("a completion sent again finds its own record").isTrue();
  }

  /**
   * A duplicate claimed the key between the loss and the holder's renewal (it executed too): the holder neither
   * renews nor completes over it, and the duplicate's outcome is the one kept.
   */
  @Test
  void aDuplicateThatClaimedALostKeyKeepsItAgainstTheFirstHolder() throws Exception {
    String first = leadThenLoseEverything("s1", "fp");
    String second = ((Claim.Leader) waitFor(store.claim(request("s1", "fp", LEASE_MS)))).owner();

    assertThat(waitFor(store.renew(scope("s1"), first, "fp", LEASE_MS, TTL_MS, WITHIN_LEASE))).isFalse();
    assertThat(waitFor(store.complete(scope("s1"), first, "fp", new Outcome.Replied(reply(200, "first")), TTL_MS,
        WITHIN_LEASE)))
        .isFalse();
    assertThat(waitFor(store.complete(scope("s1"), second, "fp", new Outcome.Replied(reply(200, "second")), TTL_MS,
        WITHIN_LEASE)))
        .isTrue();
    assertThat(waitFor(store.complete(scope("s1"), first, "fp", new Outcome.Unknown(), TTL_MS,
        WITHIN_LEASE))).isFalse();
    IdempotencyRecord.Done done = (IdempotencyRecord.Done) ((Claim.Existing) waitFor(store.claim(
        request("s1", "fp", LEASE_MS)))).record();
    assertThat(((Outcome.Replied) done.outcome()).reply().body().toString()).isEqualTo("second");
  }

  /**
   * A duplicate claimed the lost key and released it (a retryable failure): its release marker is no claim. The
   * holder's renewal re-asserts its own claim (before: it stopped renewing while its request still ran, and reported
   * an outcome kept that nobody kept), and its completion stores its outcome.
   */
  @Test
  void aDuplicatesReleaseOfALostKeyLeavesItToTheFirstHoldersRenewalAndCompletion() throws Exception {
    String first = leadThenLoseEverything("s1", "fp");
    String second = ((Claim.Leader) waitFor(store.claim(request("s1", "fp", LEASE_MS)))).owner();
    assertThat(waitFor(store.release(scope("s1"), second))).isTrue();

    assertThat(waitFor(store.renew(scope("s1"), first, "fp", LEASE_MS, TTL_MS, WITHIN_LEASE))).isTrue();
    var running = (IdempotencyRecord.InProgress) ((Claim.Existing) waitFor(store.claim(request("s1", "fp",
        LEASE_MS)))).record();
    assertThat(running.owner()).isEqualTo(first);

    String third = leadThenLoseEverything("s2", "fp");
    String fourth = ((Claim.Leader) waitFor(store.claim(request("s2", "fp", LEASE_MS)))).owner();
    assertThat(waitFor(store.release(scope("s2"), fourth))).isTrue();
    assertThat(waitFor(store.complete(scope("s2"), third, "fp", new Outcome.Replied(reply(201, "third")), TTL_MS,
        WITHIN_LEASE))).isTrue();
    var done = (IdempotencyRecord.Done) ((Claim.Existing) waitFor(store.claim(request("s2", "fp", LEASE_MS))))
        .record();
    assertThat(((Outcome.Replied) done.outcome()).reply().body().toString()).isEqualTo("third");
  }

  /**
   * Past the lease its holder last secured, a lost claim is not brought back, by a renewal nor by a completion sent
   * again later (the Resender tries for up to 15 minutes): the key may have been taken over, finished and expired
   * meanwhile, and re-storing it would make a later duplicate replay an outcome the key no longer had.
   */
  @Test
  void aClaimLostLongerThanItsLeaseAgoIsNotReassertedNorCompleted() throws Exception {
    String owner = leadThenLoseEverything("s1", "fp");
    long leaseEnded = clock.epochMillis();
    assertThat(waitFor(store.renew(scope("s1"), owner, "fp", LEASE_MS, TTL_MS, leaseEnded))).isFalse();
    assertThat(waitFor(store.complete(scope("s1"), owner, "fp", new Outcome.Replied(reply(201, "late")), TTL_MS,
        leaseEnded))).isFalse();
    assertThat(fixture.redis.command("EXISTS " + Keys.idempotency(scope("s1")))).isEqualTo(":0");

    long leaseEnds = clock.epochMillis() + 1;
    assertThat(waitFor(store.renew(scope("s1"), owner, "fp", LEASE_MS, TTL_MS, leaseEnds))).as("within it").isTrue();
  }

  /**
   * Two fleets on two databases of one Redis share no key, and no completion signal either: pub/sub ignores the
   * database, so a release of a key on /1 woke the waiters of the key of the same name on /0 as if it were free.
   */
  @Test
  void aReleaseOnAnotherDatabaseWakesNoWaiterHere() throws Exception {
    IdempotencyStore elsewhere = fixture.instanceOnDatabase(clock, scheduler, 1).idempotency().shared();
    assertThat(waitFor(store.claim(request("k1", "fp", LEASE_MS)))).isInstanceOf(Claim.Leader.class);
    String mine = ((Claim.Leader) waitFor(store.claim(request("k2", "fp", LEASE_MS)))).owner();
    String theirs = ((Claim.Leader) waitFor(elsewhere.claim(request("k1", "fp", LEASE_MS)))).owner();
    Future<Optional<IdempotencyRecord>> held = store.await(scope("k1"), 60_000);
    Future<Optional<IdempotencyRecord>> released = store.await(scope("k2"), 60_000);

    assertThat(waitFor(elsewhere.release(scope("k1"), theirs))).isTrue();
    assertThat(waitFor(store.release(scope("k2"), mine))).isTrue();
    // Both releases were announced on one Redis, in this order: once the second woke its waiter, the first was heard.
    assertThat(waitFor(released)).isEmpty();
    assertThat(held.isComplete()).as("the key held on this database still waits").isFalse();
  }

  /** Subscribes to the completion channel on a raw connection of the test's own. */
  private static Socket subscribe() throws Exception {
    Socket socket = new Socket("127.0.0.1", fixture.redis.port());
    socket.setSoTimeout(10_000);
    socket.getOutputStream().write(("SUBSCRIBE " + Keys.channel(CompletionWaiters.CHANNEL_NAME,
        0) + "\r\n").getBytes(UTF_8));
    awaitMessage(socket, Keys.channel(CompletionWaiters.CHANNEL_NAME, 0));
    return socket;
  }

  private static void awaitMessage(Socket socket, String text) throws Exception {
    StringBuilder seen = new StringBuilder();
    byte[] buffer = new byte[4096];
    while (!seen.toString().contains(text)) {
      int n = socket.getInputStream().read(buffer);
      assertThat(n).as("the connection is open").isPositive();
      seen.append(new String(buffer, 0, n, UTF_8));
    }
  }

  /** A completion whose answer was lost is sent again; its future completes with the answer to the resend. */
  @Test
  void aSettlementThatCouldNotBeSentIsSentAgainOnceRedisAnswers() throws Exception {
    Future<Boolean> completed = completedWhileRedisWasDown("kept");

    assertThat(resentUntilAnswered(completed)).isTrue();
    var done = (IdempotencyRecord.Done) ((Claim.Existing) waitFor(store.claim(request("s1", "fp", LEASE_MS))))
        .record();
    assertThat(((Outcome.Replied) done.outcome()).reply().body().toString()).isEqualTo("kept");
  }

  /**
   * A completion dropped on a resend (Redis came back without the claim, and a duplicate took the key meanwhile) is
   * answered false to its holder, which reports the lost claim, as it would be on the first sending.
   */
  @Test
  void aCompletionDroppedOnAResendIsAnsweredFalse() throws Exception {
    Future<Boolean> completed = completedWhileRedisWasDown("late");
    fixture.redis.command("FLUSHALL");
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
        .until(() -> store.claim(request("s1", "fp", LEASE_MS)).await(5, TimeUnit.SECONDS) instanceof Claim.Leader);

    assertThat(resentUntilAnswered(completed)).as("another's claim kept").isFalse();
    assertThat(waitFor(store.claim(request("s1", "fp", LEASE_MS)))).isInstanceOf(Claim.Existing.class);
  }

  /** Leads s1, then completes it with {@code body} while Redis is stopped, and starts Redis again. */
  private Future<Boolean> completedWhileRedisWasDown(String body) throws Exception {
    String owner = ((Claim.Leader) waitFor(store.claim(request("s1", "fp", LEASE_MS)))).owner();
    fixture.redis.stop();
    Future<Boolean> completed = store.complete(scope("s1"), owner, "fp", new Outcome.Replied(reply(201, body)),
        TTL_MS, WITHIN_LEASE);
    fixture.redis.restart();
    return completed;
  }

  /** Lets the resender's pauses pass until {@code sent} is answered, and returns its answer. */
  private Boolean resentUntilAnswered(Future<Boolean> sent) throws Exception {
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      scheduler.advance(Duration.ofMillis(Resender.MAX_PAUSE_MS));
      return sent.isComplete();
    });
    return waitFor(sent);
  }

  @Test
  void theClaimScriptReplacesTheAbandonedClaimItIsToldOfAndNoOther() throws Exception {
    String abandoned = ((Claim.Leader) waitFor(store.claim(request("s1", "fp-a", LEASE_MS)))).owner();
    RedisLink link = new RedisLink(fixture.vertx, fixture.config(RedisConfig.OnUnavailable.FAIL_CLOSED));
    try {
      long now = clock.epochMillis();
      List<String> keys = List.of(Keys.idempotency(scope("s1")), Keys.idempotencyCount("client"));
      assertThat(waitFor(link.eval(IdempotencyScripts.CLAIM, keys, "fp-b", "other", now, now + LEASE_MS,
          LEASE_MS + TTL_MS, "", "not-" + abandoned, TTL_MS, UNLIMITED)).type().toString()).isEqualTo("MULTI");
      assertThat(waitFor(link.eval(IdempotencyScripts.CLAIM, keys, "fp-b", "next", now, now + LEASE_MS,
          LEASE_MS + TTL_MS, "", abandoned, TTL_MS, UNLIMITED)).toInteger()).isEqualTo(1);
    } finally {
      waitFor(link.close());
    }
    var running = (IdempotencyRecord.InProgress) ((Claim.Existing) waitFor(store.claim(request("s1", "fp-b",
        LEASE_MS)))).record();
    assertThat(running.owner()).isEqualTo("next");
    assertThat(running.fingerprint()).isEqualTo("fp-b");
    assertThat(waitFor(store.complete(scope("s1"), abandoned, "fp", new Outcome.Unknown(), TTL_MS,
        WITHIN_LEASE))).isFalse();
  }
}
