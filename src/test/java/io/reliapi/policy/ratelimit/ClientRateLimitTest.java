package io.reliapi.policy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientRateLimitTest {
  @Test
  void retryAfterRoundsUpToWholeSecondsAndIsNeverZero() {
    assertThat(ClientRateLimit.retryAfterS(1)).isEqualTo(1);
    assertThat(ClientRateLimit.retryAfterS(1_000)).isEqualTo(1);
    assertThat(ClientRateLimit.retryAfterS(1_001)).isEqualTo(2);
    assertThat(ClientRateLimit.retryAfterS(0)).isEqualTo(1);
  }
}
