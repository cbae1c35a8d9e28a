package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.reliapi.config.RedisConfig;
import io.reliapi.store.BudgetAccount;
import io.reliapi.store.BudgetLedger;
import io.reliapi.store.BudgetPeriod;
import io.reliapi.store.NanoUsd;
import io.reliapi.store.Reservation;
import io.reliapi.store.StoreUnavailableException;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Redis budget ledger when answers are lost: a command runs out of time (Redis is paused for writes
 * with {@code CLIENT PAUSE}, then unpaused, and runs it after the gateway gave up) or Redis is away for a while. The clock
 * starts at 2026-11-27T12:00:00Z (a manual clock); re-sending goes through a manual scheduler.
 */
class RedisBudgetLedgerLostAnswersTest {
  @RegisterExtension
  static final RedisFixture fixture = new RedisFixture();
  private static final BudgetAccount DAY = new BudgetAccount("client:alice", BudgetPeriod.DAY, 1.0);
  private static final BudgetAccount MONTH = new BudgetAccount("client:alice", BudgetPeriod.MONTH, 2.5);
  private static final BudgetAccount WARM_UP = new BudgetAccount("target:warm-up", BudgetPeriod.DAY, 1.0);
  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = ManualScheduler.manual(clock);
  private BudgetLedger ledger;

  @BeforeEach
  void createLedger() {
    fixture.reset();
    ledger = fixture.instance(clock, scheduler).budgets().shared();
  }

  @AfterEach
  void unpause() {
    fixture.redis.command("CLIENT UNPAUSE");
  }

  private static <T> T waitFor(Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }

  /** Returns the ledger of an instance whose commands may take 300 ms, its scripts already loaded in Redis. */
  private BudgetLedger impatientLedger() {
    BudgetLedger impatient = fixture.instanceWithTimeout(clock, scheduler, 300).budgets().shared();
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
      var warmUp = (Reservation.Granted) waitFor(impatient.reserve(List.of(WARM_UP), 0.01));
      waitFor(impatient.release(warmUp));
      return true;
    });
    return impatient;
  }

  /** Returns what Redis holds for {@code account} now, in nano-dollars, or -1 when it holds no entry. */
  private long stored(BudgetAccount account) {
    String reply = fixture.redis.command("GET " + Keys.budget(account.entry(clock.epochMillis())));
    return reply.startsWith("$-1") ? -1 : Long.parseLong(reply.substring(reply.lastIndexOf('\n') + 1).strip());
  }

  /** Returns how many reservations of this month Redis holds open. */
  private String openReservations() {
    return fixture.redis.command("HLEN " + Keys.budgetReservations(BudgetPeriod.MONTH.id(clock.epochMillis())));
  }

  @Test
  void aReservationWhoseAnswerWasLostIsReleasedOnceRedisRanIt() throws Exception {
    BudgetLedger impatient = impatientLedger();
    fixture.redis.command("CLIENT PAUSE 10000 WRITE");
    assertThatThrownBy(() -> waitFor(impatient.reserve(List.of(DAY, MONTH), 0.4)))
        .isInstanceOf(StoreUnavailableException.class);
    fixture.redis.command("CLIENT UNPAUSE");

    // Redis reserved after the gateway gave up; the instance released it by id: the entries exist, at 0.
    await().atMost(Duration.ofSeconds(10)).until(() -> stored(DAY) == 0 && stored(MONTH) == 0);
    assertThat(openReservations()).isEqualTo(":0");
    assertThat(waitFor(ledger.reserve(List.of(DAY), 1.0))).isInstanceOf(Reservation.Granted.class);
  }

  @Test
  void aSettlementWhoseAnswerWasLostIsSentAgainAndAppliedExactlyOnce() throws Exception {
    BudgetLedger impatient = impatientLedger();
    var granted = (Reservation.Granted) waitFor(impatient.reserve(List.of(DAY, MONTH), 0.5));
    fixture.redis.command("CLIENT PAUSE 10000 WRITE");
    Future<Void> settled = impatient.settle(granted, 0.1);
    await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.pendingCount() == 1);
    fixture.redis.command("CLIENT UNPAUSE");

    // The first sending ran after the gateway gave up on it; the second finds the reservation closed.
    await().atMost(Duration.ofSeconds(10)).until(() -> stored(DAY) == NanoUsd.of(0.1));
    scheduler.advance(Duration.ofMillis(RedisHealth.PROBE_MS));
    waitFor(settled);
    assertThat(scheduler.requestedDelaysMs()).containsExactly(RedisHealth.PROBE_MS);
    assertThat(stored(DAY)).isEqualTo(NanoUsd.of(0.1));
    assertThat(stored(MONTH)).isEqualTo(NanoUsd.of(0.1));
    assertThat(openReservations()).isEqualTo(":0");
  }

  @Test
  void aSettlementSentWhileRedisIsAwayLandsOnceRedisIsBack() throws Exception {
    var granted = (Reservation.Granted) waitFor(ledger.reserve(List.of(DAY, MONTH), 0.5));
    fixture.redis.stop();
    Future<Void> settled = ledger.settle(granted, 0.2);
    fixture.redis.restart();

    await().atMost(Duration.ofSeconds(20)).until(() -> {
      scheduler.advance(Duration.ofMillis(Resender.MAX_PAUSE_MS));
      return settled.isComplete();
    });
    assertThat(settled.succeeded()).isTrue();
    assertThat(stored(DAY)).isEqualTo(NanoUsd.of(0.2));
    assertThat(stored(MONTH)).isEqualTo(NanoUsd.of(0.2));
  }

  @Test
  void aReleaseSentWhileRedisIsAwayLandsOnceRedisIsBack() throws Exception {
    var granted = (Reservation.Granted) waitFor(ledger.reserve(List.of(DAY), 0.9));
    fixture.redis.stop();
    Future<Void> released = ledger.release(granted);
    fixture.redis.restart();

    await().atMost(Duration.ofSeconds(20)).until(() -> {
      scheduler.advance(Duration.ofMillis(Resender.MAX_PAUSE_MS));
      return released.isComplete();
    });
    assertThat(released.succeeded()).isTrue();
    assertThat(waitFor(ledger.reserve(List.of(DAY), 1.0))).isInstanceOf(Reservation.Granted.class);
  }

  @Test
  void aSettlementIsGivenUpWhenRedisStaysAwayPastItsDeadline() throws Exception {
    var granted = (Reservation.Granted) waitFor(ledger.reserve(List.of(DAY), 0.5));
    fixture.redis.stop();
    try {
      long givesUpAt = clock.epochMillis() + Resender.RESEND_FOR_MS;
      Future<Void> settled = ledger.settle(granted, 0.1);
      await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.pendingCount() == 1);
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(1)).until(() -> {
        scheduler.advance(Duration.ofMillis(Resender.MAX_PAUSE_MS));
        return settled.isComplete();
      });
      assertThat(settled.failed()).isTrue();
      assertThat(clock.epochMillis()).isGreaterThanOrEqualTo(givesUpAt - Resender.MAX_PAUSE_MS);
      assertThat(scheduler.pendingCount()).isZero();
    } finally {
      fixture.redis.restart();
    }
    // What was given up stays as it was: the estimate, never less.
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> waitFor(ledger.spentUsd(DAY)) == 0.5);
  }

  @Test
  void aClosedReservationLeavesNothingBehindAndAnOpenOneExpiresWithItsMonth() throws Exception {
    var closed = (Reservation.Granted) waitFor(ledger.reserve(List.of(DAY), 0.1));
    waitFor(ledger.reserve(List.of(DAY), 0.1));
    waitFor(ledger.settle(closed, 0.05));
    assertThat(openReservations()).isEqualTo(":1");
    String pttl = fixture.redis.command("PTTL " + Keys.budgetReservations("m:2026-11"));
    long untilMonthEndPlusTwoHours = Duration.ofDays(3).plusHours(12 + 2).toMillis();
    assertThat(Long.parseLong(pttl.substring(1))).isBetween(untilMonthEndPlusTwoHours - 60_000, untilMonthEndPlusTwoHours);
  }

  /** The scripts themselves, sent straight to Redis, for orders of events the ledger cannot be made to show. */
  @Test
  void aReservationSentAgainIsReservedOnceAndOneReleasedBeforeItRanReservesNothing() throws Exception {
    RedisLink link = new RedisLink(fixture.vertx, fixture.config(RedisConfig.OnUnavailable.FAIL_CLOSED));
    try {
      String open = Keys.budgetReservations("m:2026-11");
      List<String> keys = List.of(open, Keys.budget(DAY.entry(clock.epochMillis())));
      long ttl = 3_600_000;
      Object[] twice = {"m:2026-11/twice", NanoUsd.of(0.3), ttl, DAY.limitNanos(), ttl};
      assertThat(waitFor(link.eval(BudgetScripts.RESERVE, keys, twice)).toInteger()).isZero();
      assertThat(waitFor(link.eval(BudgetScripts.RESERVE, keys, twice)).toInteger()).isZero();
      assertThat(stored(DAY)).isEqualTo(NanoUsd.of(0.3));

      assertThat(waitFor(link.eval(BudgetScripts.CLOSE, keys, "m:2026-11/late", 0L, "1", ttl)).toInteger()).isZero();
      Object[] late = {"m:2026-11/late", NanoUsd.of(0.3), ttl, DAY.limitNanos(), ttl};
      assertThat(waitFor(link.eval(BudgetScripts.RESERVE, keys, late)).toInteger()).isEqualTo(-1);
      assertThat(stored(DAY)).isEqualTo(NanoUsd.of(0.3));
      assertThat(fixture.redis.command("HKEYS " + open)).contains("m:2026-11/twice").doesNotContain("late");
    } finally {
      waitFor(link.close());
    }
  }
}
