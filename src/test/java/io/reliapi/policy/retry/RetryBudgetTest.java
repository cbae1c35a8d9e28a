package io.reliapi.policy.retry;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.RetryBudgetConfig;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
  private static final RetryBudgetConfig DEFAULTS = RetryBudgetConfig.defaults();

  @Test
  void allowsTwentyPercentOfTheRequestsPlusThreeASecondOverTenSeconds() {
    assertThat(RetryBudget.allows(69, 200, DEFAULTS)).isTrue();
    assertThat(RetryBudget.allows(70, 200, DEFAULTS)).isFalse();
  }

  @Test
  void aQuietTargetStillHasItsReserve() {
    assertThat(RetryBudget.allows(29, 0, DEFAULTS)).isTrue();
    assertThat(RetryBudget.allows(30, 0, DEFAULTS)).isFalse();
    assertThat(RetryBudget.allows(0, 0, new RetryBudgetConfig(true, 50, 0, 10))).isFalse();
    assertThat(RetryBudget.allows(0, 2, new RetryBudgetConfig(true, 50, 0, 10))).isTrue();
  }

  @Test
  void aDisabledBudgetAllowsEverything() {
    assertThat(RetryBudget.allows(1_000_000, 0, new RetryBudgetConfig(false, 20, 3, 10))).isTrue();
  }
}
