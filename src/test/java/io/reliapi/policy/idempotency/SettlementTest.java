package io.reliapi.policy.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class SettlementTest {

  private static Reply reply(int status) {
    return new Reply(status, Headers.empty(), Body.EMPTY);
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 201, 204, 301, 400, 404, 409, 422, 500, 502, 503, 504})
  void everyAnswerTheUpstreamProducedIsStored(int status) {
    for (boolean earlier : new boolean[] {false, true}) {
      for (boolean forwarded : new boolean[] {false, true}) {
        assertThat(Settlement.afterReply(reply(status), earlier, forwarded)).isEqualTo(Settlement.STORE);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {408, 425, 429})
  void answersSayingTheRequestWasNotProcessedRelease(int status) {
    assertThat(Settlement.afterReply(reply(status), false, false)).isEqualTo(Settlement.RELEASE);
    assertThat(Settlement.afterReply(reply(status), false, true)).isEqualTo(Settlement.RELEASE);
  }

  @ParameterizedTest
  @ValueSource(ints = {408, 425, 429})
  void aFinalNotProcessedAfterAnAttemptThatMayHaveActedLeavesTheOutcomeUnknown(int status) {
    assertThat(Settlement.afterReply(reply(status), true, false)).isEqualTo(Settlement.UNKNOWN);
    assertThat(Settlement.afterReply(reply(status), true, true)).isEqualTo(Settlement.RELEASE);
  }

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void theGatewaysOwnRejectionsAndFailuresBeforeSendingRelease(ErrorCode code) {
    assertThat(Settlement.afterFailure(GatewayException.of(code, "no"), false, false)).isEqualTo(Settlement.RELEASE);
    assertThat(Settlement.afterFailure(GatewayException.of(code, "no"), false, true)).isEqualTo(Settlement.RELEASE);
  }

  @ParameterizedTest
  @EnumSource(value = ErrorCode.class, names = {"CIRCUIT_OPEN", "BUDGET_EXHAUSTED", "NETWORK_ERROR", "UPSTREAM_TIMEOUT"})
  void aRejectionAfterAnAttemptThatMayHaveActedLeavesTheOutcomeUnknown(ErrorCode code) {
    assertThat(Settlement.afterFailure(GatewayException.of(code, "no"), true, false)).isEqualTo(Settlement.UNKNOWN);
    assertThat(Settlement.afterFailure(GatewayException.of(code, "no"), true, true)).isEqualTo(Settlement.RELEASE);
  }

  @Test
  void unexpectedFailuresRelease() {
    assertThat(Settlement.afterFailure(new IllegalStateException("bug"), false, false)).isEqualTo(Settlement.RELEASE);
  }

  @ParameterizedTest
  @EnumSource(value = ErrorCode.class, names = {"NETWORK_ERROR", "UPSTREAM_TIMEOUT"})
  void aLostConnectionAfterSendingLeavesTheOutcomeUnknownUnlessTheKeyWasForwarded(ErrorCode code) {
    for (boolean earlier : new boolean[] {false, true}) {
      assertThat(Settlement.afterFailure(GatewayException.afterSend(code, "lost"), earlier, false))
          .isEqualTo(Settlement.UNKNOWN);
      assertThat(Settlement.afterFailure(GatewayException.afterSend(code, "lost"), earlier, true))
          .isEqualTo(Settlement.RELEASE);
    }
  }

  @ParameterizedTest
  @EnumSource(value = ErrorCode.class, names = {"UPSTREAM_RESPONSE_TOO_LARGE", "UPSTREAM_INVALID_RESPONSE"})
  void anAnswerTheGatewayCouldNotKeepIsNotStoredButNotReleased(ErrorCode code) {
    assertThat(Settlement.afterFailure(GatewayException.afterSend(code, "big"), false, false))
        .isEqualTo(Settlement.NOT_STORED);
    assertThat(Settlement.afterFailure(GatewayException.afterSend(code, "big"), true, true))
        .isEqualTo(Settlement.NOT_STORED);
  }

  @Test
  void aStreamThatBrokeLeavesTheOutcomeUnknownUnlessTheKeyWasForwarded() {
    assertThat(Settlement.afterBrokenStream(false)).isEqualTo(Settlement.UNKNOWN);
    assertThat(Settlement.afterBrokenStream(true)).isEqualTo(Settlement.RELEASE);
  }
}
