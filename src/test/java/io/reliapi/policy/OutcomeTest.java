package io.reliapi.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.RetryMatrix.ErrorClass;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.Reply;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutcomeTest {
  static Outcome answered(int status) {
    return new Outcome.Answered(new Reply(status, Headers.empty(), Body.EMPTY));
  }

  @Test
  void classifies429AsRateLimited() {
    assertThat(answered(429).errorClass()).contains(ErrorClass.RATE_LIMITED);
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503, 504, 529})
  void classifiesTheRetryableServerErrorsAs5xx(int status) {
    assertThat(answered(status).errorClass()).contains(ErrorClass.SERVER_ERROR);
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 201, 204, 301, 400, 401, 403, 404, 408, 409, 422, 501, 505, 507})
  void leavesEveryOtherStatusFinal(int status) {
    assertThat(answered(status).errorClass()).isEmpty();
  }

  @Test
  void classifiesEveryFaultOfAProviderStreamAsNetwork() {
    for (ErrorCode code : new ErrorCode[] {ErrorCode.UPSTREAM_TIMEOUT, ErrorCode.UPSTREAM_INVALID_RESPONSE,
        ErrorCode.NETWORK_ERROR}) {
      assertThat(new Outcome.Failed(GatewayException.afterSend(code, "x").withStreamFault()).errorClass())
          .contains(ErrorClass.NETWORK);
    }
    assertThat(new Outcome.Failed(GatewayException.afterSend(ErrorCode.UPSTREAM_TIMEOUT, "no first token"))
        .errorClass()).contains(ErrorClass.TIMEOUT);
    assertThat(new Outcome.Failed(GatewayException.afterSend(ErrorCode.UPSTREAM_INVALID_RESPONSE, "whole"))
        .errorClass()).isEmpty();
  }

  @Test
  void classifiesNetworkErrorsAndTimeouts() {
    assertThat(new Outcome.Failed(GatewayException.of(ErrorCode.NETWORK_ERROR, "x")).errorClass())
        .contains(ErrorClass.NETWORK);
    assertThat(new Outcome.Failed(GatewayException.afterSend(ErrorCode.UPSTREAM_TIMEOUT, "x")).errorClass())
        .contains(ErrorClass.TIMEOUT);
  }

  @Test
  void leavesOtherGatewayErrorsOutOfTheRetryClasses() {
    for (ErrorCode code : new ErrorCode[] {ErrorCode.CIRCUIT_OPEN, ErrorCode.BUDGET_EXHAUSTED,
        ErrorCode.UPSTREAM_RESPONSE_TOO_LARGE, ErrorCode.INTERNAL_ERROR, ErrorCode.FORBIDDEN}) {
      assertThat(new Outcome.Failed(GatewayException.of(code, "x")).errorClass()).isEqualTo(Optional.empty());
    }
  }

  @Test
  void treatsA429AndAFailureBeforeSendingAsNotProcessed() {
    assertThat(answered(429).mayHaveBeenProcessed()).isFalse();
    assertThat(answered(503).mayHaveBeenProcessed()).isTrue();
    assertThat(new Outcome.Failed(GatewayException.of(ErrorCode.NETWORK_ERROR, "refused")).mayHaveBeenProcessed())
        .isFalse();
    assertThat(new Outcome.Failed(GatewayException.afterSend(ErrorCode.NETWORK_ERROR, "reset"))
        .mayHaveBeenProcessed()).isTrue();
  }

  @Test
  void leavesAFailureThatSaysNothingAboutTheTargetOutOfTheRetryClasses() {
    var clientTimeout = GatewayException.afterSend(ErrorCode.UPSTREAM_TIMEOUT, "x").withTargetBlameless();
    assertThat(new Outcome.Failed(clientTimeout).errorClass()).isEmpty();
    assertThat(new Outcome.Failed(clientTimeout).mayHaveBeenProcessed()).as("its outcome is still unknown").isTrue();
    assertThat(new Outcome.Failed(GatewayException.of(ErrorCode.OVERLOADED, "x")).errorClass()).isEmpty();
  }
}
