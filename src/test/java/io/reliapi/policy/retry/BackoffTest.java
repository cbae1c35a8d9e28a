package io.reliapi.policy.retry;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.RetryMatrix.Backoff;
import io.reliapi.config.RetryMatrix.RetryRule;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static long delay(Backoff kind, double base, double max, int retry, double draw) {
    return io.reliapi.policy.retry.Backoff.delayMs(new RetryRule(10, kind, base, max), retry, () -> draw);
  }

  @Test
  void constantWaitsTheBaseEveryTime() {
    assertThat(delay(Backoff.CONSTANT, 0.5, 10, 1, 0)).isEqualTo(500);
    assertThat(delay(Backoff.CONSTANT, 0.5, 10, 7, 0)).isEqualTo(500);
  }

  @Test
  void linearGrowsByTheBaseEachRetry() {
    assertThat(delay(Backoff.LINEAR, 0.5, 10, 1, 0)).isEqualTo(500);
    assertThat(delay(Backoff.LINEAR, 0.5, 10, 3, 0)).isEqualTo(1500);
  }

  @Test
  void exponentialDoublesEachRetry() {
    assertThat(delay(Backoff.EXP, 0.1, 10, 1, 0)).isEqualTo(100);
    assertThat(delay(Backoff.EXP, 0.1, 10, 2, 0)).isEqualTo(200);
    assertThat(delay(Backoff.EXP, 0.1, 10, 4, 0)).isEqualTo(800);
  }

  @Test
  void everyFormIsCappedByMax() {
    assertThat(delay(Backoff.EXP, 1, 3, 5, 0)).isEqualTo(3000);
    assertThat(delay(Backoff.LINEAR, 1, 3, 5, 0)).isEqualTo(3000);
    assertThat(delay(Backoff.CONSTANT, 5, 3, 1, 0)).isEqualTo(3000);
    assertThat(delay(Backoff.EXP_JITTER, 1, 3, 20, 0.999)).isLessThanOrEqualTo(3000);
  }

  @Test
  void fullJitterDrawsBetweenZeroAndTheExponentialCap() {
    assertThat(delay(Backoff.EXP_JITTER, 0.2, 10, 3, 0.0)).isZero();
    assertThat(delay(Backoff.EXP_JITTER, 0.2, 10, 3, 0.5)).isEqualTo(400);
    assertThat(delay(Backoff.EXP_JITTER, 0.2, 10, 3, 0.25)).isEqualTo(200);
    assertThat(delay(Backoff.EXP_JITTER, 1, 2, 4, 0.5)).isEqualTo(1000);
  }
}
