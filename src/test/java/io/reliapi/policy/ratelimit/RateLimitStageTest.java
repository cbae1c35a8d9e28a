package io.reliapi.policy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimitStageTest {
  @Test
  void retryAfterRoundsUpToWholeSecondsAndIsNeverZero() {
    assertThat(RateLimitStage.retryAfterS(1)).isEqualTo(1);
    assertThat(RateLimitStage.retryAfterS(1_000)).isEqualTo(1);
    assertThat(RateLimitStage.retryAfterS(1_001)).isEqualTo(2);
    assertThat(RateLimitStage.retryAfterS(0)).isEqualTo(1);
  }
}
