package io.reliapi.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.http.Headers;
import io.reliapi.store.Claim.Existing;
import io.reliapi.store.Claim.Leader;
import io.reliapi.store.IdempotencyRecord.Done;
import io.reliapi.store.IdempotencyRecord.InProgress;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link IdempotencyStore} must do, in memory or in Redis. A subclass supplies the store and a
 * way to let time pass (a manual clock for the in-memory store).
 */
public abstract class IdempotencyStoreContract {
  protected static final long LEASE_MS = 60_000;
  protected static final long TTL_MS = 10_000;
  protected static final long UNLIMITED = 1_000_000;
  /** For renewals and completions of a holder still within the lease it last secured. */
  protected static final long WITHIN_LEASE = Long.MAX_VALUE;
  /** The token of a leader that never waited, asking whether anyone waits. */
  private static final String NOBODY = "";
  private static final AtomicLong TOKENS = new AtomicLong();
  protected IdempotencyStore store;

  /** Returns a new, empty store. */
  protected abstract IdempotencyStore newStore();

  /** Lets {@code duration} pass for the store: its clock and its timers. */
  protected abstract void elapse(Duration duration);

  /** Returns whether the lease of {@code claim} has run out, by the store's own judgment. */
  protected boolean leaseOver(InProgress claim) {
    return store.leaseLeftMs(claim) <= 0;
  }

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  @AfterEach
  void closeStore() throws Exception {
    if (store instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  protected static <T> T get(Future<T> future) {
    try {
      return future.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("store operation did not complete", e);
    }
  }

  protected static StoredReply reply(int status, String body) {
    return new StoredReply(status, Headers.of("Content-Type", "text/plain", "X-Id", "7"), Buffer.buffer(body), 1234);
  }

  /** Returns the scope of {@code key} for one client and target. */
  protected static IdempotencyScope scope(String key) {
    return new IdempotencyScope("client", "target", key);
  }

  /** Returns a new attempt, with a token of its own, to claim {@code key}. */
  protected static ClaimRequest request(String key, String fingerprint, long leaseMs) {
    return request(scope(key), fingerprint, UNLIMITED, leaseMs);
  }

  /** Returns a new attempt to claim {@code scope} for a client that may hold {@code maxRecords} records. */
  protected static ClaimRequest request(IdempotencyScope scope, String fingerprint, long maxRecords, long leaseMs) {
    return new ClaimRequest(scope, "req_test." + TOKENS.incrementAndGet(), fingerprint, maxRecords, leaseMs, TTL_MS);
  }

  /** Returns the claim in progress on {@code scope}, as a request that finds it there sees it. */
  private InProgress running(IdempotencyScope scope) {
    return (InProgress) ((Existing) get(store.claim(request(scope, "fp", UNLIMITED, LEASE_MS)))).record();
  }

  private InProgress running(String key) {
    return running(scope(key));
  }

  private String lead(String scope, String fingerprint) {
    Claim claim = get(store.claim(request(scope, fingerprint, LEASE_MS)));
    assertThat(claim).isInstanceOf(Leader.class);
    return ((Leader) claim).owner();
  }

  @Test
  void theFirstClaimLeads() {
    assertThat(get(store.claim(request("s1", "fp", LEASE_MS)))).isInstanceOf(Leader.class);
  }

  @Test
  void aSecondClaimSeesTheClaimInProgressWithItsFingerprintAndLease() {
    String owner = lead("s1", "fp-a");
    Claim second = get(store.claim(request("s1", "fp-b", LEASE_MS)));
    assertThat(second).isInstanceOf(Existing.class);
    InProgress record = (InProgress) ((Existing) second).record();
    assertThat(record.fingerprint()).isEqualTo("fp-a");
    assertThat(record.owner()).isEqualTo(owner);
    assertThat(leaseOver(record)).isFalse();
  }

  @Test
  void ofManyConcurrentClaimsExactlyOneLeads() throws Exception {
    int n = 64;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Claim>> claims = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        claims.add(() -> get(store.claim(request("race", "fp", LEASE_MS))));
      }
      List<Claim> results = new ArrayList<>();
      for (var f : pool.invokeAll(claims)) {
        results.add(f.get());
      }
      assertThat(results.stream().filter(c -> c instanceof Leader).count()).isEqualTo(1);
      assertThat(results.stream().filter(c -> c instanceof Existing e && e.record() instanceof InProgress).count())
          .isEqualTo(n - 1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aCompletedOutcomeIsWhatLaterClaimsGet() {
    String owner = lead("s1", "fp");
    assertThat(get(store.complete(scope("s1"), owner, "fp", new Outcome.Replied(reply(201, "made")), TTL_MS,
        WITHIN_LEASE))).isTrue();
    Claim later = get(store.claim(request("s1", "fp", LEASE_MS)));
    Done done = (Done) ((Existing) later).record();
    assertThat(done.fingerprint()).isEqualTo("fp");
    StoredReply stored = ((Outcome.Replied) done.outcome()).reply();
    assertThat(stored.status()).isEqualTo(201);
    assertThat(stored.body().toString()).isEqualTo("made");
    assertThat(stored.headers().get("x-id")).isEqualTo("7");
    assertThat(stored.headers().get("content-type")).isEqualTo("text/plain");
    assertThat(stored.storedAtMillis()).isEqualTo(1234);
  }

  @Test
  void unknownAndNotStoredOutcomesAreKeptToo() {
    get(store.complete(scope("u"), lead("u", "fp"), "fp", new Outcome.Unknown(), TTL_MS, WITHIN_LEASE));
    get(store.complete(scope("n"), lead("n", "fp"), "fp", new Outcome.NotStored(), TTL_MS, WITHIN_LEASE));
    assertThat(((Done) ((Existing) get(store.claim(request("u", "fp", LEASE_MS)))).record()).outcome())
        .isInstanceOf(Outcome.Unknown.class);
    assertThat(((Done) ((Existing) get(store.claim(request("n", "fp", LEASE_MS)))).record()).outcome())
        .isInstanceOf(Outcome.NotStored.class);
  }

  /** A completion sent again (its first answer lost) finds its own outcome stored: true, nothing changed. */
  @Test
  void aCompletionSentAgainByItsOwnerFindsItsOwnOutcome() {
    String owner = lead("s1", "fp");
    assertThat(get(store.complete(scope("s1"), owner, "fp", new Outcome.Replied(reply(201, "first")), TTL_MS,
        WITHIN_LEASE))).isTrue();
    assertThat(get(store.complete(scope("s1"), owner, "fp", new Outcome.Unknown(), TTL_MS, WITHIN_LEASE))).isTrue();
    assertThat(get(store.complete(scope("s1"), "not-" + owner, "fp", new Outcome.Unknown(), TTL_MS, WITHIN_LEASE)))
        .as("another owner").isFalse();
    Done done = (Done) ((Existing) get(store.claim(request("s1", "fp", LEASE_MS)))).record();
    assertThat(((Outcome.Replied) done.outcome()).reply().body().toString()).isEqualTo("first");
  }

  @Test
  void aFinishedRecordExpiresAfterItsTtl() {
    get(store.complete(scope("s1"), lead("s1", "fp"), "fp", new Outcome.Replied(reply(200, "x")), TTL_MS,
        WITHIN_LEASE));
    elapse(Duration.ofMillis(TTL_MS - 1000));
    assertThat(get(store.claim(request("s1", "fp", LEASE_MS)))).isInstanceOf(Existing.class);
    elapse(Duration.ofMillis(2000));
    assertThat(get(store.claim(request("s1", "fp", LEASE_MS)))).isInstanceOf(Leader.class);
  }

  @Test
  void aReleasedClaimLetsTheNextClaimLead() {
    String owner = lead("s1", "fp");
    assertThat(get(store.release(scope("s1"), owner))).isTrue();
    assertThat(get(store.claim(request("s1", "fp", LEASE_MS)))).isInstanceOf(Leader.class);
  }

  @Test
  void onlyTheOwnerCanCompleteOrRelease() {
    String owner = lead("s1", "fp");
    assertThat(get(store.complete(scope("s1"), "not-" + owner, "fp", new Outcome.Unknown(), TTL_MS,
        WITHIN_LEASE))).isFalse();
    assertThat(get(store.release(scope("s1"), "not-" + owner))).isFalse();
    assertThat(((Existing) get(store.claim(request("s1", "fp", LEASE_MS)))).record()).isInstanceOf(InProgress.class);
    assertThat(get(store.complete(scope("s1"), owner, "fp", new Outcome.Unknown(), TTL_MS, WITHIN_LEASE))).isTrue();
    assertThat(get(store.release(scope("s1"), owner))).isFalse();
  }

  @Test
  void aClaimWhoseLeaseRanOutStaysTakenAndShowsItsExpiredLease() {
    assertThat(get(store.claim(request("s1", "fp", 1_000)))).isInstanceOf(Leader.class);
    elapse(Duration.ofMillis(1_500));
    Claim later = get(store.claim(request("s1", "fp", LEASE_MS)));
    assertThat(later).isInstanceOf(Existing.class);
    assertThat(leaseOver((InProgress) ((Existing) later).record())).isTrue();
  }

  @Test
  void aRenewedLeaseRunsFromTheRenewal() {
    String owner = get(store.claim(request("s1", "fp", 1_000))) instanceof Leader l ? l.owner() : null;
    elapse(Duration.ofMillis(800));
    assertThat(get(store.renew(scope("s1"), owner, "fp", 1_000, TTL_MS, WITHIN_LEASE))).isTrue();
    elapse(Duration.ofMillis(800));
    InProgress running = (InProgress) ((Existing) get(store.claim(request("s1", "fp", LEASE_MS)))).record();
    assertThat(running.owner()).isEqualTo(owner);
    assertThat(leaseOver(running)).isFalse();
    elapse(Duration.ofMillis(300));
    assertThat(leaseOver(running)).isTrue();
  }

  @Test
  void onlyTheOwnerRenewsAndNobodyRenewsAFinishedClaim() {
    String owner = lead("s1", "fp");
    assertThat(get(store.renew(scope("s1"), "not-" + owner, "fp", LEASE_MS, TTL_MS, WITHIN_LEASE))).isFalse();
    get(store.complete(scope("s1"), owner, "fp", new Outcome.Unknown(), TTL_MS, WITHIN_LEASE));
    assertThat(get(store.renew(scope("s1"), owner, "fp", LEASE_MS, TTL_MS, WITHIN_LEASE))).isFalse();
    assertThat(((Existing) get(store.claim(request("s1", "fp", LEASE_MS)))).record()).isInstanceOf(Done.class);
  }

  @Test
  void aClaimWhoseLeaseIsStillRunningCannotBeTakenOver() {
    String owner = lead("s1", "fp");
    Claim taken = get(store.takeOver(request("s1", "fp", LEASE_MS), running("s1")));
    assertThat(((InProgress) ((Existing) taken).record()).owner()).isEqualTo(owner);
  }

  /**
   * A take-over names the claim as its caller saw it; a renewal since proves the holder alive, even when the
   * renewed lease has run out by the caller's clock too (a clock ahead of the holder's, docs: "Clocks").
   */
  @Test
  void aClaimRenewedSinceItWasSeenIsNotTakenOverEvenOnceItsRenewedLeaseRanOut() {
    String owner = get(store.claim(request("s1", "fp", 1_000))) instanceof Leader l ? l.owner() : null;
    elapse(Duration.ofMillis(1_500));
    InProgress seenBefore = running("s1");
    assertThat(get(store.renew(scope("s1"), owner, "fp", 1_000, TTL_MS, WITHIN_LEASE))).isTrue();
    elapse(Duration.ofMillis(1_500));

    Claim taken = get(store.takeOver(request("s1", "fp", LEASE_MS), seenBefore));
    assertThat(((InProgress) ((Existing) taken).record()).owner()).isEqualTo(owner);
    assertThat(get(store.takeOver(request("s1", "fp", LEASE_MS), running("s1")))).isInstanceOf(Leader.class);
  }

  @Test
  void ofManyConcurrentTakeOversOfAnExpiredClaimExactlyOneLeads() throws Exception {
    String dead = get(store.claim(request("s1", "fp", 1_000))) instanceof Leader l ? l.owner() : null;
    elapse(Duration.ofMillis(1_500));
    InProgress expired = running("s1");
    int n = 32;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Claim>> takers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        takers.add(() -> get(store.takeOver(request("s1", "fp", LEASE_MS), expired)));
      }
      List<Claim> results = new ArrayList<>();
      for (var f : pool.invokeAll(takers)) {
        results.add(f.get());
      }
      List<String> leaders = results.stream().filter(c -> c instanceof Leader).map(c -> ((Leader) c).owner()).toList();
      assertThat(leaders).hasSize(1);
      assertThat(results).filteredOn(c -> c instanceof Existing)
          .allSatisfy(c -> assertThat(((InProgress) ((Existing) c).record()).owner()).isEqualTo(leaders.get(0)));
      assertThat(get(store.complete(scope("s1"), dead, "fp", new Outcome.Unknown(), TTL_MS, WITHIN_LEASE))).isFalse();
      assertThat(get(store.complete(scope("s1"), leaders.get(0), "fp", new Outcome.Replied(reply(200, "second")),
          TTL_MS, WITHIN_LEASE)))
          .isTrue();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void waitersOfAClaimThatWasTakenOverAreWokenByTheNewHolder() {
    String dead = get(store.claim(request("s1", "fp", 1_000))) instanceof Leader l ? l.owner() : null;
    Future<Optional<IdempotencyRecord>> waiter = store.await(scope("s1"), 30_000);
    elapse(Duration.ofMillis(1_500));
    String next = ((Leader) get(store.takeOver(request("s1", "fp", LEASE_MS), running("s1")))).owner();
    get(store.complete(scope("s1"), next, "fp", new Outcome.Replied(reply(200, "from the new holder")), TTL_MS,
        WITHIN_LEASE));
    Done done = (Done) get(waiter).orElseThrow();
    assertThat(((Outcome.Replied) done.outcome()).reply().body().toString()).isEqualTo("from the new holder");
  }

  @Test
  void takingOverAKeyWithNothingRecordedClaimsIt() {
    assertThat(get(store.takeOver(request("s1", "fp", LEASE_MS), new InProgress("fp", "gone", 0))))
        .isInstanceOf(Leader.class);
  }

  @Test
  void aWaitThatRunsOutOfTimeSeesTheClaimAsItIsThen() {
    String owner = get(store.claim(request("s1", "fp", 2_000))) instanceof Leader l ? l.owner() : null;
    Future<Optional<IdempotencyRecord>> waiter = store.await(scope("s1"), 3_000);
    elapse(Duration.ofMillis(1_500));
    get(store.renew(scope("s1"), owner, "fp", 2_000, TTL_MS, WITHIN_LEASE));
    elapse(Duration.ofMillis(1_600));
    InProgress seen = (InProgress) get(waiter).orElseThrow();
    assertThat(leaseOver(seen)).isFalse();
  }

  @Test
  void waitersAreWokenByCompletionWithoutWaitingForTheirTimeout() {
    String owner = lead("s1", "fp");
    List<Future<Optional<IdempotencyRecord>>> waiters = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      waiters.add(store.await(scope("s1"), 30_000));
    }
    waiters.forEach(w -> assertThat(w.isComplete()).isFalse());
    get(store.complete(scope("s1"), owner, "fp", new Outcome.Replied(reply(200, "once")), TTL_MS, WITHIN_LEASE));
    for (var waiter : waiters) {
      Done done = (Done) get(waiter).orElseThrow();
      assertThat(((Outcome.Replied) done.outcome()).reply().body().toString()).isEqualTo("once");
    }
  }

  @Test
  void aWaitIsStoppedAtOnceByItsStopSignalAndLeavesTheOtherWaitersWaiting() {
    String owner = lead("s1", "fp");
    Promise<Void> stop = Promise.promise();
    Future<Optional<IdempotencyRecord>> stopped = store.await(scope("s1"), 30_000, stop.future());
    Future<Optional<IdempotencyRecord>> other = store.await(scope("s1"), 30_000);
    stop.complete();
    await().atMost(Duration.ofSeconds(5)).until(stopped::isComplete);
    assertThat(stopped.cause()).isInstanceOf(java.util.concurrent.CancellationException.class);
    assertThat(other.isComplete()).isFalse();
    get(store.complete(scope("s1"), owner, "fp", new Outcome.Replied(reply(200, "once")), TTL_MS, WITHIN_LEASE));
    assertThat(get(other).orElseThrow()).isInstanceOf(Done.class);
  }

  @Test
  void theRequestsWaitingOnAKeyAreCountedUntilTheirWaitEnds() {
    String owner = lead("s1", "fp");
    Promise<Void> stop = Promise.promise();
    Future<Optional<IdempotencyRecord>> stopped = store.await(scope("s1"), 30_000, stop.future());
    Future<Optional<IdempotencyRecord>> other = store.await(scope("s1"), 30_000);
    assertThat(store.waitingCount()).isEqualTo(2);
    stop.complete();
    await().atMost(Duration.ofSeconds(5)).until(stopped::isComplete);
    assertThat(store.waitingCount()).isEqualTo(1);
    get(store.complete(scope("s1"), owner, "fp", new Outcome.Replied(reply(200, "once")), TTL_MS, WITHIN_LEASE));
    get(other);
    assertThat(store.waitingCount()).isZero();
    get(store.await(scope("s1"), 30_000));
    assertThat(store.waitingCount()).as("a wait answered at once").isZero();
  }

  @Test
  void waitersLearnOfARelease() {
    String owner = lead("s1", "fp");
    Future<Optional<IdempotencyRecord>> waiter = store.await(scope("s1"), 30_000);
    get(store.release(scope("s1"), owner));
    assertThat(get(waiter)).isEmpty();
  }

  @Test
  void aWaitThatRunsOutOfTimeGetsTheClaimInProgress() {
    lead("s1", "fp");
    Future<Optional<IdempotencyRecord>> waiter = store.await(scope("s1"), 5_000);
    elapse(Duration.ofMillis(4_000));
    assertThat(waiter.isComplete()).isFalse();
    elapse(Duration.ofMillis(1_500));
    assertThat(get(waiter).orElseThrow()).isInstanceOf(InProgress.class);
  }

  @Test
  void waitingOnAFinishedOrUnknownKeyAnswersAtOnce() {
    get(store.complete(scope("s1"), lead("s1", "fp"), "fp", new Outcome.Unknown(), TTL_MS, WITHIN_LEASE));
    assertThat(get(store.await(scope("s1"), 30_000)).orElseThrow()).isInstanceOf(Done.class);
    assertThat(get(store.await(scope("nothing-here"), 30_000))).isEmpty();
  }

  @Test
  void aKeyIsAwaitedWhileAnyWaiterIsMarkedOnIt() {
    lead("s1", "fp");
    assertThat(get(store.awaited(scope("s1"), NOBODY))).isFalse();
    get(store.markWaiting(scope("s1"), "w1", 30_000));
    get(store.markWaiting(scope("s1"), "w2", 30_000));
    assertThat(get(store.awaited(scope("s1"), NOBODY))).isTrue();
    assertThat(get(store.awaited(scope("s2"), NOBODY))).as("another key").isFalse();
    assertThat(get(store.awaited(new IdempotencyScope("other", "target", "s1"), NOBODY))).as("another client's")
        .isFalse();

    get(store.unmarkWaiting(scope("s1"), "w1"));
    get(store.unmarkWaiting(scope("s1"), "w1"));
    assertThat(get(store.awaited(scope("s1"), NOBODY))).as("one waiter left").isTrue();
    get(store.unmarkWaiting(scope("s1"), "w2"));
    assertThat(get(store.awaited(scope("s1"), NOBODY))).isFalse();
    get(store.unmarkWaiting(scope("never-marked"), "w3"));
  }

  @Test
  void aLeaderThatWaitedBeforeIsNotCountedByItsOwnMark() {
    get(store.markWaiting(scope("s1"), "turned-leader", 30_000));
    assertThat(get(store.awaited(scope("s1"), "turned-leader"))).isFalse();
    get(store.markWaiting(scope("s1"), "short", 1_000));
    assertThat(get(store.awaited(scope("s1"), "turned-leader"))).as("another waiter").isTrue();
    elapse(Duration.ofMillis(1_000));
    assertThat(get(store.awaited(scope("s1"), "turned-leader"))).as("its mark ran out").isFalse();
    assertThat(get(store.awaited(scope("s1"), "short"))).as("an own mark that ran out is not taken off twice")
        .isTrue();
  }

  @Test
  void aWaitersMarkRunsOutAfterItsTimeEvenIfNeverRemoved() {
    get(store.markWaiting(scope("s1"), "died", 5_000));
    get(store.markWaiting(scope("s1"), "longer", 8_000));
    elapse(Duration.ofMillis(4_000));
    assertThat(get(store.awaited(scope("s1"), NOBODY))).isTrue();
    get(store.unmarkWaiting(scope("s1"), "longer"));
    assertThat(get(store.awaited(scope("s1"), NOBODY))).as("the first mark is still on").isTrue();
    elapse(Duration.ofMillis(1_000));
    assertThat(get(store.awaited(scope("s1"), NOBODY))).as("its waiter's wait is over").isFalse();
    get(store.markWaiting(scope("s1"), "next", 1_000));
    assertThat(get(store.awaited(scope("s1"), NOBODY))).isTrue();
  }

  @Test
  void scopesAreIndependent() {
    assertThat(get(store.claim(request(new IdempotencyScope("a", "t", "k"), "fp", UNLIMITED, LEASE_MS))))
        .isInstanceOf(Leader.class);
    assertThat(get(store.claim(request(new IdempotencyScope("b", "t", "k"), "fp", UNLIMITED, LEASE_MS))))
        .isInstanceOf(Leader.class);
    assertThat(get(store.claim(request(new IdempotencyScope("a", "u", "k"), "fp", UNLIMITED, LEASE_MS))))
        .isInstanceOf(Leader.class);
  }

  @Test
  void theLeaderHoldsTheClaimWithItsAttemptsToken() {
    ClaimRequest attempt = request("s1", "fp", LEASE_MS);
    assertThat(get(store.claim(attempt))).isEqualTo(new Leader(attempt.token()));
    InProgress running = (InProgress) ((Existing) get(store.claim(request("s1", "fp", LEASE_MS)))).record();
    assertThat(running.owner()).isEqualTo(attempt.token());
  }

  /** A claim sent again because its answer was lost finds its own claim, not someone else's. */
  @Test
  void anAttemptSentAgainRecognisesItsOwnClaim() {
    ClaimRequest attempt = request("s1", "fp", LEASE_MS);
    get(store.claim(attempt));
    assertThat(get(store.claim(attempt))).isEqualTo(new Leader(attempt.token()));
    assertThat(get(store.complete(scope("s1"), attempt.token(), "fp", new Outcome.Replied(reply(200, "once")), TTL_MS,
        WITHIN_LEASE)))
        .isTrue();
    assertThat(((Existing) get(store.claim(attempt))).record()).isInstanceOf(Done.class);
  }

  @Test
  void aTokenNeverSettlesAClaimItDoesNotHold() {
    String first = lead("s1", "fp");
    assertThat(get(store.release(scope("s1"), first))).isTrue();
    String second = lead("s1", "fp");
    assertThat(get(store.complete(scope("s1"), first, "fp", new Outcome.Unknown(), TTL_MS, WITHIN_LEASE))).isFalse();
    assertThat(get(store.release(scope("s1"), first))).isFalse();
    assertThat(get(store.renew(scope("s1"), first, "fp", LEASE_MS, TTL_MS, WITHIN_LEASE))).isFalse();
    InProgress running = (InProgress) ((Existing) get(store.claim(request("s1", "fp", LEASE_MS)))).record();
    assertThat(running.owner()).isEqualTo(second);
  }

  /**
   * A renewal still on its way when its holder released the key does not take the key back (a store that re-asserts
   * claims it lost must tell a released key from a lost one).
   */
  @Test
  void aRenewalAfterItsHoldersReleaseDoesNotClaimTheKeyAgain() {
    String owner = lead("s1", "fp");
    assertThat(get(store.release(scope("s1"), owner))).isTrue();
    assertThat(get(store.renew(scope("s1"), owner, "fp", LEASE_MS, TTL_MS, WITHIN_LEASE))).isFalse();
    assertThat(get(store.complete(scope("s1"), owner, "fp", new Outcome.Unknown(), TTL_MS, WITHIN_LEASE))).isFalse();
    assertThat(get(store.claim(request("s1", "fp", LEASE_MS)))).isInstanceOf(Leader.class);
  }

  /** A claim nobody renews or settles does not hold its key forever: a TTL after its lease it is gone. */
  @Test
  void aClaimWhoseLeaseEndedATtlAgoIsGone() {
    lead("s1", "fp");
    elapse(Duration.ofMillis(LEASE_MS + TTL_MS - 1_000));
    assertThat(get(store.claim(request("s1", "fp", LEASE_MS)))).isInstanceOf(Existing.class);
    elapse(Duration.ofMillis(2_000));
    assertThat(get(store.claim(request("s1", "other", LEASE_MS)))).isInstanceOf(Leader.class);
  }

  private Claim claimOf(String client, String key, long maxRecords) {
    return get(store.claim(request(new IdempotencyScope(client, "t", key), "fp", maxRecords, LEASE_MS)));
  }

  @Test
  void aClientAtItsQuotaGetsNoNewKeysWhileItsOwnKeysAndOtherClientsAreServed() {
    for (int i = 1; i <= 3; i++) {
      assertThat(claimOf("a", "k" + i, 3)).isInstanceOf(Leader.class);
    }
    Claim refused = claimOf("a", "k4", 3);
    assertThat(refused).isInstanceOf(Claim.OverQuota.class);
    assertThat(((Claim.OverQuota) refused).retryAfterMs()).isPositive();
    assertThat(claimOf("a", "k1", 3)).isInstanceOf(Existing.class);
    assertThat(claimOf("b", "k4", 3)).isInstanceOf(Leader.class);
  }

  @Test
  void finishedRecordsCountUntilTheirTtlEndsAndReleasedOnesNoMore() {
    IdempotencyScope first = new IdempotencyScope("a", "t", "k1");
    String owner = ((Leader) claimOf("a", "k1", 2)).owner();
    get(store.complete(first, owner, "fp", new Outcome.Replied(reply(200, "kept")), TTL_MS, WITHIN_LEASE));
    String second = ((Leader) claimOf("a", "k2", 2)).owner();
    assertThat(get(store.release(new IdempotencyScope("a", "t", "k2"), second))).isTrue();
    assertThat(claimOf("a", "k3", 2)).isInstanceOf(Leader.class);

    Claim refused = claimOf("a", "k4", 2);
    assertThat(((Claim.OverQuota) refused).retryAfterMs()).isBetween(1L, TTL_MS);
    elapse(Duration.ofMillis(TTL_MS + 1));
    assertThat(claimOf("a", "k4", 2)).isInstanceOf(Leader.class);
  }

  @Test
  void anAttemptSentAgainOrTakingOverDoesNotCountTwice() {
    ClaimRequest attempt = request(new IdempotencyScope("a", "t", "k1"), "fp", 1, 1_000);
    get(store.claim(attempt));
    assertThat(get(store.claim(attempt))).isEqualTo(new Leader(attempt.token()));
    elapse(Duration.ofMillis(1_500));
    ClaimRequest next = request(new IdempotencyScope("a", "t", "k1"), "fp", 1, LEASE_MS);
    assertThat(get(store.takeOver(next, running(new IdempotencyScope("a", "t", "k1")))))
        .isEqualTo(new Leader(next.token()));
    assertThat(claimOf("a", "k2", 1)).isInstanceOf(Claim.OverQuota.class);
  }

  @Test
  void ofManyConcurrentClaimsOfNewKeysNoMoreThanTheQuotaLead() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Claim>> claims = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        String key = "k" + i;
        claims.add(() -> claimOf("a", key, 10));
      }
      List<Claim> results = new ArrayList<>();
      for (var f : pool.invokeAll(claims)) {
        results.add(f.get());
      }
      assertThat(results.stream().filter(c -> c instanceof Leader).count()).isEqualTo(10);
      assertThat(results.stream().filter(c -> c instanceof Claim.OverQuota).count()).isEqualTo(54);
    } finally {
      pool.shutdownNow();
    }
  }
}
