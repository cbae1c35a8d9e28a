package io.reliapi.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import org.junit.jupiter.api.Test;

class ResendSafetyTest {
  private static final Outcome REFUSED = new Outcome.Failed(GatewayException.of(ErrorCode.NETWORK_ERROR, "x"));
  private static final Outcome RESET = new Outcome.Failed(GatewayException.afterSend(ErrorCode.NETWORK_ERROR, "x"));
  private static final Outcome TIMED_OUT =
      new Outcome.Failed(GatewayException.afterSend(ErrorCode.UPSTREAM_TIMEOUT, "x"));

  private static ResendSafety unkeyedPost() {
    return new ResendSafety(false, false, false, false);
  }

  @Test
  void resendsIdempotentMethodsAfterAnyFailure() {
    var get = new ResendSafety(true, false, false, false);
    assertThat(get.allowsResendAfter(OutcomeTest.answered(503))).isTrue();
    assertThat(get.allowsResendAfter(TIMED_OUT)).isTrue();
    assertThat(get.allowsResendAfter(RESET)).isTrue();
  }

  @Test
  void neverResendsAnUnkeyedPostTheUpstreamMayHaveProcessed() {
    assertThat(unkeyedPost().allowsResendAfter(OutcomeTest.answered(503))).isFalse();
    assertThat(unkeyedPost().allowsResendAfter(TIMED_OUT)).isFalse();
    assertThat(unkeyedPost().allowsResendAfter(RESET)).isFalse();
  }

  @Test
  void resendsAnUnkeyedPostAfterARefusedConnectionOrA429() {
    assertThat(unkeyedPost().allowsResendAfter(REFUSED)).isTrue();
    assertThat(unkeyedPost().allowsResendAfter(OutcomeTest.answered(429))).isTrue();
  }

  @Test
  void resendsAPostWithAKeyOrToAnLlmTarget() {
    assertThat(new ResendSafety(false, true, false, false).allowsResendAfter(TIMED_OUT)).isTrue();
    assertThat(new ResendSafety(false, false, true, false).allowsResendAfter(OutcomeTest.answered(503))).isTrue();
  }

  @Test
  void neverResendsAOneShotBodyThatStartedToGoOut() {
    var streamedPut = new ResendSafety(true, false, false, true);
    assertThat(streamedPut.allowsResendAfter(OutcomeTest.answered(503))).isFalse();
    assertThat(streamedPut.allowsResendAfter(OutcomeTest.answered(429))).isFalse();
    assertThat(streamedPut.allowsResendAfter(REFUSED)).isTrue();
  }
}
