package io.reliapi.policy.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SettlementTest {

  @ParameterizedTest
  @ValueSource(ints = {200, 201, 204, 301, 400, 404, 409, 422, 500, 502, 503, 504})
  void everyAnswerTheUpstreamProducedIsStored(int status) {
    assertThat(Settlement.afterReply(status)).isEqualTo(Settlement.STORE);
  }

  @ParameterizedTest
  @ValueSource(ints = {408, 425, 429})
  void answersSayingTheRequestWasNotProcessedRelease(int status) {
    assertThat(Settlement.afterReply(status)).isEqualTo(Settlement.RELEASE);
  }

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void theGatewaysOwnRejectionsAndFailuresBeforeSendingRelease(ErrorCode code) {
    assertThat(Settlement.afterFailure(GatewayException.of(code, "no"), false)).isEqualTo(Settlement.RELEASE);
    assertThat(Settlement.afterFailure(GatewayException.of(code, "no"), true)).isEqualTo(Settlement.RELEASE);
  }

  @Test
  void unexpectedFailuresRelease() {
    assertThat(Settlement.afterFailure(new IllegalStateException("bug"), false)).isEqualTo(Settlement.RELEASE);
  }

  @ParameterizedTest
  @EnumSource(value = ErrorCode.class, names = {"NETWORK_ERROR", "UPSTREAM_TIMEOUT"})
  void aLostConnectionAfterSendingLeavesTheOutcomeUnknownUnlessTheKeyWasForwarded(ErrorCode code) {
    assertThat(Settlement.afterFailure(GatewayException.afterSend(code, "lost"), false)).isEqualTo(Settlement.UNKNOWN);
    assertThat(Settlement.afterFailure(GatewayException.afterSend(code, "lost"), true)).isEqualTo(Settlement.RELEASE);
  }

  @ParameterizedTest
  @EnumSource(value = ErrorCode.class, names = {"UPSTREAM_RESPONSE_TOO_LARGE", "UPSTREAM_INVALID_RESPONSE"})
  void anAnswerTheGatewayCouldNotKeepIsNotStoredButNotReleased(ErrorCode code) {
    assertThat(Settlement.afterFailure(GatewayException.afterSend(code, "big"), false)).isEqualTo(Settlement.NOT_STORED);
    assertThat(Settlement.afterFailure(GatewayException.afterSend(code, "big"), true)).isEqualTo(Settlement.NOT_STORED);
  }
}
