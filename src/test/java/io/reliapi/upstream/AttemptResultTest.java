package io.reliapi.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.Reply;
import org.junit.jupiter.api.Test;

/** The {@code result} label of {@code reliapi_upstream_attempts_total}. */
class AttemptResultTest {
  private static Reply status(int status) {
    return new Reply(status, Headers.empty(), Body.EMPTY);
  }

  @Test
  void answersAreNamedByTheirStatusClass() {
    assertThat(UpstreamStage.result(status(200), null, false)).isEqualTo("success");
    assertThat(UpstreamStage.result(status(304), null, false)).isEqualTo("success");
    assertThat(UpstreamStage.result(status(429), null, false)).isEqualTo("http_4xx");
    assertThat(UpstreamStage.result(status(503), null, false)).isEqualTo("http_5xx");
  }

  @Test
  void failuresAreNamedByWhatWentWrong() {
    assertThat(UpstreamStage.result(null, Failures.timeout(true), false)).isEqualTo("timeout");
    assertThat(UpstreamStage.result(null, Failures.classify(new java.net.ConnectException(), false), false))
        .isEqualTo("net");
    assertThat(UpstreamStage.result(null, Failures.tooLarge(), false)).isEqualTo("too_large");
  }

  @Test
  void anAttemptCutShortByTheClientIsNotTheUpstreamsFault() {
    GatewayException reset = GatewayException.afterSend(ErrorCode.NETWORK_ERROR, "client went away");
    assertThat(UpstreamStage.result(null, reset, true)).isEqualTo("cancelled");
  }

  @Test
  void anAttemptEndedByTheClientsOwnTimeoutIsNamedApartFromTheUpstreamsTimeouts() {
    AttemptLimit clients = AttemptLimit.of(30_000, 60_000, java.util.Optional.of(1L));
    assertThat(UpstreamStage.result(null, attemptWith(clients).timedOut(true), false)).isEqualTo("client_timeout");
    AttemptLimit targets = AttemptLimit.of(30_000, 60_000, java.util.Optional.empty());
    assertThat(UpstreamStage.result(null, attemptWith(targets).timedOut(true), false)).isEqualTo("timeout");
  }

  @Test
  void anAttemptRefusedForAFullConnectionPoolIsNamedOverloaded() {
    assertThat(UpstreamStage.result(null, Failures.overloaded(), false)).isEqualTo("overloaded");
  }

  private static Attempt attemptWith(AttemptLimit limit) {
    return new Attempt(limit, 60_000, true, 1024, new io.reliapi.pipeline.Cancellation(), "req_1");
  }
}
