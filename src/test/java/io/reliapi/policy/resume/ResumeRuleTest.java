package io.reliapi.policy.resume;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.RetryMatrix.ErrorClass;
import io.reliapi.config.RetryMatrix;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.policy.ResendSafety;
import org.junit.jupiter.api.Test;

class ResumeRuleTest {
  /** A chat request on an LLM target, its body in memory: it may always be sent again. */
  static final ResendSafety CHAT = new ResendSafety(false, false, true, false);
  static final GatewayException CUT =
      GatewayException.afterSend(ErrorCode.NETWORK_ERROR, "cut").withStreamFault();

  static GatewayException errorEvent(int status) {
    return GatewayException.afterSend(ErrorCode.UPSTREAM_ERROR, "event").withUpstreamStatus(status);
  }

  @Test
  void streamFaultsAndRetryableErrorEventsAreMendedInTheirClass() {
    assertThat(ResumeRule.faultClass(CUT)).contains(ErrorClass.NETWORK);
    assertThat(ResumeRule.faultClass(errorEvent(529))).contains(ErrorClass.SERVER_ERROR);
    assertThat(ResumeRule.faultClass(errorEvent(429))).contains(ErrorClass.RATE_LIMITED);
    assertThat(ResumeRule.faultClass(errorEvent(400))).isEmpty();
    assertThat(ResumeRule.faultClass(GatewayException.afterSend(ErrorCode.NETWORK_ERROR, "client gone"))).isEmpty();
    assertThat(ResumeRule.faultClass(GatewayException.afterSend(ErrorCode.UPSTREAM_TIMEOUT, "stream_max_s")))
        .isEmpty();
  }

  @Test
  void resumesAreBoundByTheRetriesOfTheFaultsClass() {
    RetryMatrix defaults = RetryMatrix.defaults();
    int attempts = defaults.rule(ErrorClass.NETWORK).attempts();
    assertThat(ResumeRule.allows(CUT, attempts - 1, defaults, CHAT)).isTrue();
    assertThat(ResumeRule.allows(CUT, attempts, defaults, CHAT))
        .as("the attempts made before the commit point count: a continuation is a retry of the request").isFalse();
    assertThat(ResumeRule.allows(errorEvent(400), 1, defaults, CHAT)).isFalse();
    assertThat(ResumeRule.allows(errorEvent(503), 1, defaults, CHAT)).isTrue();
  }
}
