package io.reliapi.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BudgetLedger} must do, in memory or in Redis. The clock starts at
 * 2026-11-27T12:00:00Z (a manual clock), so a day ends in 12 hours and the month in 3.5 days.
 */
public abstract class BudgetLedgerContract {
  protected static final BudgetAccount CLIENT_DAY = new BudgetAccount("client:alice", BudgetPeriod.DAY, 1.0);
  protected static final BudgetAccount CLIENT_MONTH = new BudgetAccount("client:alice", BudgetPeriod.MONTH, 2.5);
  protected static final BudgetAccount TARGET_DAY = new BudgetAccount("target:openai", BudgetPeriod.DAY, 0.3);
  protected BudgetLedger ledger;

  /** Returns a new, empty ledger. */
  protected abstract BudgetLedger newLedger();

  /** Lets {@code duration} pass for the ledger. */
  protected abstract void elapse(Duration duration);

  @BeforeEach
  void createLedger() {
    ledger = newLedger();
  }

  @AfterEach
  void closeLedger() throws Exception {
    if (ledger instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  protected static <T> T get(Future<T> future) {
    try {
      return future.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("ledger operation did not complete", e);
    }
  }

  protected Reservation reserve(double usd, BudgetAccount... accounts) {
    return get(ledger.reserve(List.of(accounts), usd));
  }

  protected double spent(BudgetAccount account) {
    return get(ledger.spentUsd(account));
  }

  @Test
  void reservesUpToTheLimitAndNoFurther() {
    for (int i = 0; i < 4; i++) {
      assertThat(reserve(0.25, CLIENT_DAY)).isInstanceOf(Reservation.Granted.class);
    }
    assertThat(reserve(0.25, CLIENT_DAY)).isInstanceOf(Reservation.Exhausted.class);
    assertThat(reserve(0.000_000_001, CLIENT_DAY)).isInstanceOf(Reservation.Exhausted.class);
    assertThat(spent(CLIENT_DAY)).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void aReservationIsTakenOnEveryAccountOrOnNone() {
    Reservation refused = reserve(0.4, CLIENT_DAY, CLIENT_MONTH, TARGET_DAY);
    assertThat(((Reservation.Exhausted) refused).account()).isEqualTo(TARGET_DAY);
    assertThat(spent(CLIENT_DAY)).isZero();
    assertThat(spent(CLIENT_MONTH)).isZero();
    assertThat(reserve(0.2, CLIENT_DAY, CLIENT_MONTH, TARGET_DAY)).isInstanceOf(Reservation.Granted.class);
    assertThat(spent(CLIENT_DAY)).isCloseTo(0.2, within(1e-9));
    assertThat(spent(CLIENT_MONTH)).isCloseTo(0.2, within(1e-9));
    assertThat(spent(TARGET_DAY)).isCloseTo(0.2, within(1e-9));
  }

  @Test
  void settlingReplacesTheReservationByTheActualCost() {
    var granted = (Reservation.Granted) reserve(0.6, CLIENT_DAY, CLIENT_MONTH);
    get(ledger.settle(granted, 0.000_123_456_789));
    assertThat(spent(CLIENT_DAY)).isCloseTo(0.000_123_456_789, within(1e-9));
    assertThat(spent(CLIENT_MONTH)).isCloseTo(0.000_123_456_789, within(1e-9));
    assertThat(reserve(0.99, CLIENT_DAY)).isInstanceOf(Reservation.Granted.class);
  }

  @Test
  void releasingGivesTheWholeReservationBack() {
    var granted = (Reservation.Granted) reserve(0.9, CLIENT_DAY);
    assertThat(reserve(0.2, CLIENT_DAY)).isInstanceOf(Reservation.Exhausted.class);
    get(ledger.release(granted));
    assertThat(spent(CLIENT_DAY)).isZero();
    assertThat(reserve(0.2, CLIENT_DAY)).isInstanceOf(Reservation.Granted.class);
  }

  @Test
  void aReservationIsClosedOnceSoSettlingOrReleasingItAgainChangesNothing() {
    var settled = (Reservation.Granted) reserve(0.6, CLIENT_DAY, CLIENT_MONTH);
    var released = (Reservation.Granted) reserve(0.3, CLIENT_DAY, CLIENT_MONTH);
    get(ledger.settle(settled, 0.1));
    get(ledger.settle(settled, 0.1));
    get(ledger.release(settled));
    get(ledger.release(released));
    get(ledger.release(released));
    get(ledger.settle(released, 0.2));
    assertThat(spent(CLIENT_DAY)).isCloseTo(0.1, within(1e-9));
    assertThat(spent(CLIENT_MONTH)).isCloseTo(0.1, within(1e-9));
  }

  @Test
  void settlingAtTheReservedAmountClosesTheReservation() {
    var granted = (Reservation.Granted) reserve(0.4, CLIENT_DAY);
    get(ledger.settle(granted, 0.4));
    get(ledger.release(granted));
    assertThat(spent(CLIENT_DAY)).isCloseTo(0.4, within(1e-9));
  }

  @Test
  void twoReservationsOfTheSameAmountAreClosedEachOnItsOwn() {
    var first = (Reservation.Granted) reserve(0.3, CLIENT_DAY);
    var second = (Reservation.Granted) reserve(0.3, CLIENT_DAY);
    assertThat(first.id()).isNotEqualTo(second.id());
    get(ledger.release(first));
    get(ledger.release(first));
    assertThat(spent(CLIENT_DAY)).isCloseTo(0.3, within(1e-9));
    get(ledger.settle(second, 0.05));
    assertThat(spent(CLIENT_DAY)).isCloseTo(0.05, within(1e-9));
  }

  @Test
  void anExhaustedAccountSaysWhenItsPeriodEnds() {
    reserve(1.0, CLIENT_DAY);
    var day = (Reservation.Exhausted) reserve(0.1, CLIENT_DAY);
    assertThat(Instant.ofEpochMilli(day.resetsAtMillis())).isEqualTo(Instant.parse("2026-11-28T00:00:00Z"));
    reserve(2.5, CLIENT_MONTH);
    var month = (Reservation.Exhausted) reserve(0.1, CLIENT_MONTH);
    assertThat(Instant.ofEpochMilli(month.resetsAtMillis())).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
  }

  @Test
  void aNewDayStartsFromNothingWhileTheMonthKeepsCounting() {
    assertThat(reserve(0.9, CLIENT_DAY, CLIENT_MONTH)).isInstanceOf(Reservation.Granted.class);
    elapse(Duration.ofHours(12));
    assertThat(spent(CLIENT_DAY)).isZero();
    assertThat(spent(CLIENT_MONTH)).isCloseTo(0.9, within(1e-9));
    assertThat(reserve(0.9, CLIENT_DAY, CLIENT_MONTH)).isInstanceOf(Reservation.Granted.class);
    assertThat(reserve(0.9, CLIENT_MONTH)).isInstanceOf(Reservation.Exhausted.class);
    elapse(Duration.ofDays(4));
    assertThat(spent(CLIENT_MONTH)).isZero();
  }

  @Test
  void aSettlementAfterMidnightCorrectsTheDayItWasReservedIn() {
    elapse(Duration.ofHours(11).plusMinutes(59));
    var granted = (Reservation.Granted) reserve(0.5, CLIENT_DAY, CLIENT_MONTH);
    elapse(Duration.ofMinutes(2));
    assertThat(reserve(0.4, CLIENT_DAY)).isInstanceOf(Reservation.Granted.class);
    get(ledger.settle(granted, 0.1));
    assertThat(spent(CLIENT_DAY)).isCloseTo(0.4, within(1e-9));
    assertThat(spent(CLIENT_MONTH)).isCloseTo(0.1, within(1e-9));
  }

  @Test
  void concurrentReservationsNeverTogetherPassTheLimit() throws Exception {
    BudgetAccount fiveCalls = new BudgetAccount("target:t", BudgetPeriod.DAY, 0.05);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Reservation>> calls = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        calls.add(() -> reserve(0.01, fiveCalls));
      }
      long granted = 0;
      for (var f : pool.invokeAll(calls)) {
        granted += f.get() instanceof Reservation.Granted ? 1 : 0;
      }
      assertThat(granted).isEqualTo(5);
      assertThat(spent(fiveCalls)).isCloseTo(0.05, within(1e-9));
    } finally {
      pool.shutdownNow();
    }
  }
}
