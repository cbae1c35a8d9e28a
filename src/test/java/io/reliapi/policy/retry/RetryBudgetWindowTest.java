package io.reliapi.policy.retry;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.RetryBudgetConfig;
import org.junit.jupiter.api.Test;

class RetryBudgetWindowTest {
  private static final long SECOND = 1_000_000_000L;
  /** 50 % of the requests, no reserve, over 10 s: counted in tenths of one second. */
  private final RetryBudgetWindow window = new RetryBudgetWindow(new RetryBudgetConfig(true, 50, 0, 10));

  private int retriesAllowed(long nowNanos, int asked) {
    int allowed = 0;
    for (int i = 0; i < asked; i++) {
      allowed += window.tryRetry(nowNanos) ? 1 : 0;
    }
    return allowed;
  }

  @Test
  void retriesAreAllowedUpToTheShareOfTheRequestsInTheWindow() {
    for (int i = 0; i < 10; i++) {
      window.request(5 * SECOND);
    }
    assertThat(retriesAllowed(5 * SECOND, 20)).isEqualTo(5);
  }

  @Test
  void requestsOlderThanTheWindowNoLongerEarnRetries() {
    for (int i = 0; i < 10; i++) {
      window.request(0);
    }
    assertThat(retriesAllowed(9 * SECOND, 1)).isEqualTo(1);
    assertThat(retriesAllowed(10 * SECOND, 1)).isZero();
  }

  @Test
  void retriesStayCountedForAWholeWindowAndATenth() {
    for (int i = 0; i < 4; i++) {
      window.request(0);
    }
    assertThat(retriesAllowed(0, 5)).isEqualTo(2);
    for (int i = 0; i < 4; i++) {
      window.request(10 * SECOND);
    }
    // The two retries at 0 s still count at 10 s, so the new requests' two retries wait one more tenth.
    assertThat(retriesAllowed(10 * SECOND, 5)).isZero();
    assertThat(retriesAllowed(11 * SECOND, 5)).isEqualTo(2);
  }

  @Test
  void aTimeBeforeTheFirstSlotIsNoProblem() {
    window.request(-3 * SECOND);
    window.request(-3 * SECOND);
    assertThat(retriesAllowed(-3 * SECOND, 3)).isEqualTo(1);
  }

  /** An overload move whose sibling refused it before sending gives its draw back. */
  @Test
  void aRetryGivenBackWhileItsTenthIsCountedFreesItsPlace() {
    for (int i = 0; i < 2; i++) {
      window.request(5 * SECOND);
    }
    assertThat(retriesAllowed(5 * SECOND, 1)).isEqualTo(1);
    assertThat(retriesAllowed(5 * SECOND, 1)).isZero();
    window.giveBack(5 * SECOND);
    assertThat(retriesAllowed(5 * SECOND, 1)).isEqualTo(1);
    window.giveBack(5 * SECOND - 20 * SECOND);
    assertThat(retriesAllowed(5 * SECOND, 1)).as("a draw of a tenth no longer counted gives nothing back").isZero();
  }
}
