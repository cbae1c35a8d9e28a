package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.reliapi.store.BudgetAccount;
import io.reliapi.store.BudgetLedger;
import io.reliapi.store.BudgetLedgerContract;
import io.reliapi.store.BudgetPeriod;
import io.reliapi.store.Reservation;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The budget ledger contract against a real redis-server, and one budget shared by two instances. */
class RedisBudgetLedgerTest extends BudgetLedgerContract {
  @RegisterExtension
  static final RedisFixture fixture = new RedisFixture();
  private final ManualClock clock = new ManualClock();

  @Override
  protected BudgetLedger newLedger() {
    fixture.reset();
    return fixture.instance(clock, ManualScheduler.manual(clock)).budgets().shared();
  }

  @Override
  protected void elapse(Duration duration) {
    clock.advance(duration);
  }

  /**
   * One settlement sent forty times at once from two instances (as a re-sending racing a late original
   * would be) is applied once; a release racing it changes nothing either.
   */
  @Test
  void oneSettlementSentManyTimesAtOnceFromTwoInstancesIsAppliedOnce() throws Exception {
    BudgetLedger other = fixture.instance(clock, ManualScheduler.manual(clock)).budgets().shared();
    var granted = (Reservation.Granted) reserve(0.5, CLIENT_DAY, CLIENT_MONTH);
    ExecutorService pool = Executors.newFixedThreadPool(10);
    try {
      List<Callable<Void>> closes = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        BudgetLedger instance = i % 2 == 0 ? ledger : other;
        closes.add(i == 20 ? () -> get(instance.release(granted)) : () -> get(instance.settle(granted, 0.1)));
      }
      for (var f : pool.invokeAll(closes)) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    double spentDay = spent(CLIENT_DAY);
    assertThat(spentDay).satisfiesAnyOf(day -> assertThat(day).isCloseTo(0.1, within(1e-9)),
        day -> assertThat(day).isZero());
    assertThat(spent(CLIENT_MONTH)).isEqualTo(spentDay);
  }

  /**
   * Fifty calls spread over two instances against a budget that affords five estimates: five are
   * reserved, and once each is settled to its actual cost the ledger holds exactly their sum.
   */
  @Test
  void fiftyConcurrentReservationsOverTwoInstancesReserveFiveAndSettleToTheActualCosts() throws Exception {
    BudgetLedger other = fixture.instance(clock, ManualScheduler.manual(clock)).budgets().shared();
    BudgetAccount target = new BudgetAccount("target:openai", BudgetPeriod.DAY, 0.05);
    BudgetAccount client = new BudgetAccount("client:alice", BudgetPeriod.MONTH, 100);
    double estimate = 0.01;
    ExecutorService pool = Executors.newFixedThreadPool(10);
    try {
      List<Callable<Reservation>> calls = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        BudgetLedger instance = i % 2 == 0 ? ledger : other;
        calls.add(() -> get(instance.reserve(List.of(client, target), estimate)));
      }
      List<Reservation.Granted> granted = new ArrayList<>();
      for (var f : pool.invokeAll(calls)) {
        if (f.get() instanceof Reservation.Granted g) {
          granted.add(g);
        } else {
          assertThat(((Reservation.Exhausted) f.get()).account()).isEqualTo(target);
        }
      }
      assertThat(granted).hasSize(5);
      double actualSum = 0;
      for (int i = 0; i < granted.size(); i++) {
        double actual = 0.001_234_567 * (i + 1);
        actualSum += actual;
        get((i % 2 == 0 ? ledger : other).settle(granted.get(i), actual));
      }
      assertThat(get(ledger.spentUsd(target))).isCloseTo(actualSum, within(1e-9));
      assertThat(get(other.spentUsd(client))).isCloseTo(actualSum, within(1e-9));
    } finally {
      pool.shutdownNow();
    }
  }
}
