package io.reliapi.policy.circuit;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.Reply;
import io.reliapi.policy.Outcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class BreakerVerdictTest {
  private static BreakerVerdict of(int status) {
    return BreakerVerdict.of(new Outcome.Answered(new Reply(status, Headers.empty(), Body.EMPTY)), false);
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503, 504, 529})
  void countsServerErrorsAsFailures(int status) {
    assertThat(of(status)).isEqualTo(BreakerVerdict.FAILURE);
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 204, 302, 400, 401, 403, 404, 409, 422, 501, 505})
  void countsEveryOtherAnswerAsSuccess(int status) {
    assertThat(of(status)).isEqualTo(BreakerVerdict.SUCCESS);
  }

  @Test
  void ignoresRateLimiting() {
    assertThat(of(429)).isEqualTo(BreakerVerdict.IGNORED);
  }

  @Test
  void countsNetworkErrorsAndTimeoutsAsFailures() {
    assertThat(BreakerVerdict.of(new Outcome.Failed(GatewayException.of(ErrorCode.NETWORK_ERROR, "x")), false))
        .isEqualTo(BreakerVerdict.FAILURE);
    assertThat(BreakerVerdict.of(new Outcome.Failed(GatewayException.afterSend(ErrorCode.UPSTREAM_TIMEOUT, "x")),
        false)).isEqualTo(BreakerVerdict.FAILURE);
  }

  @Test
  void ignoresAttemptsTheClientAbandonedAndRejectionsBeforeTheUpstream() {
    assertThat(BreakerVerdict.of(new Outcome.Failed(GatewayException.afterSend(ErrorCode.NETWORK_ERROR, "x")), true))
        .isEqualTo(BreakerVerdict.IGNORED);
    assertThat(BreakerVerdict.of(new Outcome.Failed(GatewayException.of(ErrorCode.BUDGET_EXHAUSTED, "x")), false))
        .isEqualTo(BreakerVerdict.IGNORED);
  }

  @Test
  void ignoresAnAttemptEndedByTheClientsOwnTimeoutAndAFullConnectionPool() {
    var clientTimeout = GatewayException.afterSend(ErrorCode.UPSTREAM_TIMEOUT, "x").withTargetBlameless();
    assertThat(BreakerVerdict.of(new Outcome.Failed(clientTimeout), false)).isEqualTo(BreakerVerdict.IGNORED);
    assertThat(BreakerVerdict.of(new Outcome.Failed(GatewayException.of(ErrorCode.OVERLOADED, "x")), false))
        .isEqualTo(BreakerVerdict.IGNORED);
  }
}
