package io.reliapi.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The token bucket's arithmetic, as a plain function. */
class TokenBucketTest {

  @Test
  void aNewBucketIsFullAndGivesOneToken() {
    TokenBucket.Taken taken = TokenBucket.take(null, 1_000, 5, 10);
    assertThat(taken.granted()).isTrue();
    assertThat(taken.state()).isEqualTo(new TokenBucket.State(9, 1_000));
  }

  @Test
  void refillsInProportionToTheTimePassed() {
    TokenBucket.Taken taken = TokenBucket.take(new TokenBucket.State(0, 1_000), 1_300, 10, 10);
    assertThat(taken.granted()).isTrue();
    assertThat(taken.state().tokens()).isCloseTo(2, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void aClockBehindTheBucketRefillsNothingAndKeepsTheLaterTime() {
    TokenBucket.Taken taken = TokenBucket.take(new TokenBucket.State(0.5, 2_000), 1_000, 10, 10);
    assertThat(taken.granted()).isFalse();
    assertThat(taken.retryAfterMs()).isEqualTo(50);
    assertThat(taken.state()).isEqualTo(new TokenBucket.State(0.5, 2_000));
  }

  @Test
  void theWaitIsNeverZero() {
    assertThat(TokenBucket.take(new TokenBucket.State(0.9999999, 0), 0, 1, 1).retryAfterMs()).isEqualTo(1);
  }

  @Test
  void anIdleBucketIsFullAfterBurstOverRate() {
    assertThat(TokenBucket.refillMs(4, 10)).isEqualTo(2_500);
  }
}
