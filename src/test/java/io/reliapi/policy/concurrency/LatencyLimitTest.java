package io.reliapi.policy.concurrency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.Reply;
import io.reliapi.policy.Outcome;
import org.junit.jupiter.api.Test;

class LatencyLimitTest {

  @Test
  void aLimitInUseGrowsByOneWhileLatencyStaysNearTheBaseline() {
    assertThat(LatencyLimit.next(10, 1.0, true, 1, 100)).isEqualTo(11);
    assertThat(LatencyLimit.next(10, 1.19, true, 1, 100)).isEqualTo(11);
  }

  @Test
  void aLimitNotInUseDoesNotGrow() {
    assertThat(LatencyLimit.next(10, 1.0, false, 1, 100)).isEqualTo(10);
  }

  @Test
  void betweenTheThresholdsTheLimitHolds() {
    assertThat(LatencyLimit.next(10, 1.2, true, 1, 100)).isEqualTo(10);
    assertThat(LatencyLimit.next(10, 1.5, true, 1, 100)).isEqualTo(10);
  }

  @Test
  void slowAnswersCutTheLimitInProportionAtMostByHalf() {
    assertThat(LatencyLimit.next(20, 2.0, true, 1, 100)).isCloseTo(15, within(1e-9));
    assertThat(LatencyLimit.next(20, 1.6, false, 1, 100)).isCloseTo(18.75, within(1e-9));
    assertThat(LatencyLimit.next(20, 30, true, 1, 100)).isEqualTo(10);
  }

  @Test
  void theLimitStaysWithinMinAndMax() {
    assertThat(LatencyLimit.next(5, 30, true, 4, 100)).isEqualTo(4);
    assertThat(LatencyLimit.next(100, 1.0, true, 4, 100)).isEqualTo(100);
  }

  @Test
  void answersAndUpstreamTimeoutsAreSamplesButFastRefusalsAndLocalFailuresAreNot() {
    assertThat(LatencyLimit.isSample(answered(200), false)).isTrue();
    assertThat(LatencyLimit.isSample(answered(404), false)).isTrue();
    assertThat(LatencyLimit.isSample(answered(429), false)).isFalse();
    assertThat(LatencyLimit.isSample(answered(503), false)).isFalse();
    assertThat(LatencyLimit.isSample(answered(200), true)).isFalse();
    assertThat(LatencyLimit.isSample(failed(GatewayException.afterSend(ErrorCode.UPSTREAM_TIMEOUT, "t")), false))
        .isTrue();
    assertThat(LatencyLimit.isSample(
        failed(GatewayException.afterSend(ErrorCode.UPSTREAM_TIMEOUT, "t").withTargetBlameless()), false)).isFalse();
    assertThat(LatencyLimit.isSample(failed(GatewayException.of(ErrorCode.NETWORK_ERROR, "refused")), false)).isFalse();
    assertThat(LatencyLimit.isSample(failed(GatewayException.of(ErrorCode.OVERLOADED, "pool")), false)).isFalse();
  }

  private static Outcome answered(int status) {
    return new Outcome.Answered(new Reply(status, Headers.of(), Body.EMPTY));
  }

  private static Outcome failed(GatewayException error) {
    return new Outcome.Failed(error);
  }
}
