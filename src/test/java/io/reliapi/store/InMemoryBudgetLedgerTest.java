package io.reliapi.store;

import io.reliapi.testing.ManualClock;
import java.time.Duration;

class InMemoryBudgetLedgerTest extends BudgetLedgerContract {
  private final ManualClock clock = new ManualClock();

  @Override
  protected BudgetLedger newLedger() {
    return new InMemoryBudgetLedger(clock);
  }

  @Override
  protected void elapse(Duration duration) {
    clock.advance(duration);
  }
}
