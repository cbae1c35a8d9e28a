package io.reliapi.policy.retry;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.RetryMatrix;
import io.reliapi.config.RetryMatrix.Backoff;
import io.reliapi.config.RetryMatrix.ErrorClass;
import io.reliapi.config.RetryMatrix.RetryRule;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Body;
import io.reliapi.http.Headers;
import io.reliapi.http.Reply;
import io.reliapi.policy.Outcome;
import io.reliapi.policy.ResendSafety;
import io.reliapi.policy.retry.RetryPolicy.Reason;
import io.reliapi.policy.retry.RetryPolicy.Retry;
import io.reliapi.policy.retry.RetryPolicy.Stop;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private static final long NOW = Instant.parse("2026-11-27T12:00:00Z").toEpochMilli();
  private static final ResendSafety GET = new ResendSafety(true, false, false, false);
  private static final ResendSafety POST = new ResendSafety(false, false, false, false);
  private static final RetryMatrix MATRIX = new RetryMatrix(Map.of(
      ErrorClass.RATE_LIMITED, new RetryRule(3, Backoff.CONSTANT, 1, 10),
      ErrorClass.SERVER_ERROR, new RetryRule(4, Backoff.EXP, 0.1, 1),
      ErrorClass.NETWORK, new RetryRule(2, Backoff.LINEAR, 0.05, 1),
      ErrorClass.TIMEOUT, new RetryRule(2, Backoff.EXP_JITTER, 0.2, 1)));
  private final RetryPolicy policy = new RetryPolicy(() -> 0.5);

  private static Outcome status(int status, String... headers) {
    return new Outcome.Answered(new Reply(status, Headers.of(headers), Body.EMPTY));
  }

  private RetryPolicy.Decision decide(ResendSafety safety, int attempts, Outcome outcome) {
    return policy.decide(MATRIX, safety, attempts, outcome, 30_000, NOW);
  }

  @Test
  void stopsAtOnceOnSuccessAndOnNonRetryableStatuses() {
    for (int status : new int[] {200, 201, 304, 400, 404, 409, 422, 501, 505}) {
      assertThat(decide(GET, 1, status(status))).isEqualTo(new Stop(Reason.FINAL));
    }
  }

  @Test
  void retriesEachClassWithItsOwnBackoff() {
    assertThat(decide(GET, 1, status(503))).isEqualTo(new Retry(ErrorClass.SERVER_ERROR, 100));
    assertThat(decide(GET, 3, status(502))).isEqualTo(new Retry(ErrorClass.SERVER_ERROR, 400));
    assertThat(decide(GET, 2, status(429))).isEqualTo(new Retry(ErrorClass.RATE_LIMITED, 1000));
    assertThat(decide(GET, 1, new Outcome.Failed(GatewayException.of(ErrorCode.NETWORK_ERROR, "x"))))
        .isEqualTo(new Retry(ErrorClass.NETWORK, 50));
    assertThat(decide(GET, 1, new Outcome.Failed(GatewayException.afterSend(ErrorCode.UPSTREAM_TIMEOUT, "x"))))
        .isEqualTo(new Retry(ErrorClass.TIMEOUT, 100));
  }

  @Test
  void stopsWhenTheClassAttemptsAreUsedUp() {
    assertThat(decide(GET, 4, status(503))).isEqualTo(new Stop(Reason.EXHAUSTED));
    assertThat(decide(GET, 2, new Outcome.Failed(GatewayException.of(ErrorCode.NETWORK_ERROR, "x"))))
        .isEqualTo(new Stop(Reason.EXHAUSTED));
  }

  @Test
  void countsEveryAttemptMadeAgainstTheClassOfTheLatestOutcome() {
    // Three attempts so far (e.g. net, 503, 503): the timeout class allows two in all, so it stops.
    assertThat(decide(GET, 3, new Outcome.Failed(GatewayException.afterSend(ErrorCode.UPSTREAM_TIMEOUT, "x"))))
        .isEqualTo(new Stop(Reason.EXHAUSTED));
  }

  @Test
  void keepsAnUnkeyedPostThatMayHaveBeenProcessedFromBeingRetried() {
    assertThat(decide(POST, 1, status(503))).isEqualTo(new Stop(Reason.UNSAFE));
    assertThat(decide(POST, 1, status(429))).isInstanceOf(Retry.class);
  }

  @Test
  void honoursRetryAfterSecondsInsteadOfTheBackoff() {
    assertThat(decide(GET, 1, status(429, "Retry-After", "7"))).isEqualTo(new Retry(ErrorClass.RATE_LIMITED, 7000));
    assertThat(decide(GET, 1, status(503, "Retry-After", "1"))).isEqualTo(new Retry(ErrorClass.SERVER_ERROR, 1000));
    assertThat(decide(GET, 1, status(529, "Retry-After", "1"))).as("Anthropic's overloaded")
        .isEqualTo(new Retry(ErrorClass.SERVER_ERROR, 1000));
    assertThat(decide(GET, 1, status(529, "Retry-After", "2"))).isEqualTo(new Stop(Reason.RETRY_AFTER_TOO_LONG));
  }

  @Test
  void honoursRetryAfterAsAnHttpDate() {
    String inFiveSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(
        Instant.ofEpochMilli(NOW + 5000).atOffset(ZoneOffset.UTC));
    assertThat(decide(GET, 1, status(429, "Retry-After", inFiveSeconds)))
        .isEqualTo(new Retry(ErrorClass.RATE_LIMITED, 5000));
  }

  @Test
  void returnsTheAnswerAtOnceWhenRetryAfterExceedsMax() {
    assertThat(decide(GET, 1, status(429, "Retry-After", "11"))).isEqualTo(new Stop(Reason.RETRY_AFTER_TOO_LONG));
    assertThat(decide(GET, 1, status(503, "Retry-After", "2"))).isEqualTo(new Stop(Reason.RETRY_AFTER_TOO_LONG));
  }

  /** Every deployment left asked the request to wait: that wait counts as a Retry-After when it is the longer. */
  @Test
  void theWaitOfEveryDeploymentLeftCountsAsTheRetryAfter() {
    Outcome failed = status(500);
    assertThat(policy.decide(MATRIX, GET, 1, failed, 30_000, NOW, NOW + 800))
        .isEqualTo(new Retry(ErrorClass.SERVER_ERROR, 800));
    assertThat(policy.decide(MATRIX, GET, 1, failed, 30_000, NOW, NOW + 1001))
        .isEqualTo(new Stop(Reason.RETRY_AFTER_TOO_LONG));
    assertThat(policy.decide(MATRIX, GET, 1, status(503, "Retry-After", "1"), 30_000, NOW, NOW + 300))
        .as("the answer's own longer wait").isEqualTo(new Retry(ErrorClass.SERVER_ERROR, 1000));
    assertThat(policy.decide(MATRIX, GET, 1, failed, 30_000, NOW, NOW - 5)).as("a wait over: the backoff")
        .isEqualTo(new Retry(ErrorClass.SERVER_ERROR, 100));
  }

  @Test
  void returnsTheAnswerAtOnceWhenRetryAfterDoesNotFitTheDeadline() {
    assertThat(policy.decide(MATRIX, GET, 1, status(429, "Retry-After", "5"), 4_000, NOW))
        .isEqualTo(new Stop(Reason.DEADLINE));
  }

  @Test
  void fallsBackToTheBackoffWhenRetryAfterIsMalformedOrOnAnotherStatus() {
    assertThat(decide(GET, 1, status(429, "Retry-After", "soon"))).isEqualTo(new Retry(ErrorClass.RATE_LIMITED, 1000));
    assertThat(decide(GET, 1, status(502, "Retry-After", "9"))).isEqualTo(new Retry(ErrorClass.SERVER_ERROR, 100));
  }

  @Test
  void stopsWhenTheBackoffWouldEndAfterTheDeadline() {
    assertThat(policy.decide(MATRIX, GET, 2, status(503), 200, NOW)).isEqualTo(new Stop(Reason.DEADLINE));
    assertThat(policy.decide(MATRIX, GET, 2, status(503), 201, NOW)).isEqualTo(new Retry(ErrorClass.SERVER_ERROR, 200));
  }

  @Test
  void stopsWhenTheDeadlineHasPassed() {
    var timeout = new Outcome.Failed(GatewayException.of(ErrorCode.UPSTREAM_TIMEOUT, "x"));
    assertThat(policy.decide(MATRIX, GET, 1, timeout, 0, NOW)).isEqualTo(new Stop(Reason.DEADLINE));
  }

  @Test
  void usesTheDocumentedDefaultsWhenATargetHasNoMatrix() {
    var defaults = RetryMatrix.defaults();
    assertThat(defaults.rule(ErrorClass.RATE_LIMITED)).isEqualTo(new RetryRule(3, Backoff.EXP_JITTER, 1.0, 20.0));
    assertThat(defaults.rule(ErrorClass.SERVER_ERROR)).isEqualTo(new RetryRule(3, Backoff.EXP_JITTER, 0.2, 5.0));
    assertThat(defaults.rule(ErrorClass.NETWORK)).isEqualTo(new RetryRule(3, Backoff.EXP_JITTER, 0.1, 2.0));
    assertThat(defaults.rule(ErrorClass.TIMEOUT)).isEqualTo(new RetryRule(2, Backoff.EXP_JITTER, 0.2, 5.0));
    assertThat(policy.decide(defaults, GET, 2, status(503), 30_000, NOW)).isEqualTo(new Retry(ErrorClass.SERVER_ERROR, 200));
    assertThat(policy.decide(defaults, GET, 3, status(503), 30_000, NOW)).isEqualTo(new Stop(Reason.EXHAUSTED));
  }

  @Test
  void neverRetriesAfterTheClientsOwnTimeoutOrAFullConnectionPool() {
    var clientTimeout = GatewayException.afterSend(ErrorCode.UPSTREAM_TIMEOUT, "x").withTargetBlameless();
    assertThat(decide(GET, 1, new Outcome.Failed(clientTimeout))).isEqualTo(new Stop(Reason.FINAL));
    assertThat(decide(GET, 1, new Outcome.Failed(GatewayException.of(ErrorCode.OVERLOADED, "x"))))
        .isEqualTo(new Stop(Reason.FINAL));
  }

  /** The one reading of the matrix that the overload move of a pooled target shares with {@link RetryPolicy#decide}. */
  @Test
  void anotherAttemptIsAllowedWhateverTheWaitOnlyWhileTheClassHasAttemptsLeftAndTheRequestMayGoAgain() {
    Outcome overloaded = status(503, "Retry-After", "3600");
    assertThat(RetryPolicy.refusesAnother(MATRIX, GET, 1, overloaded)).as("a wait past max_s is no matter").isEmpty();
    assertThat(RetryPolicy.refusesAnother(MATRIX, GET, 3, status(529))).isEmpty();
    assertThat(RetryPolicy.refusesAnother(MATRIX, GET, 4, overloaded)).contains(Reason.EXHAUSTED);
    assertThat(RetryPolicy.refusesAnother(MATRIX, POST, 1, overloaded)).contains(Reason.UNSAFE);
    assertThat(RetryPolicy.refusesAnother(MATRIX, GET, 1, status(200))).contains(Reason.FINAL);
    for (int attempts = 1; attempts <= 5; attempts++) {
      boolean allowed = RetryPolicy.refusesAnother(MATRIX, GET, attempts, overloaded).isEmpty();
      assertThat(decide(GET, attempts, status(503)) instanceof Retry).as("attempt %d", attempts).isEqualTo(allowed);
    }
  }
}
