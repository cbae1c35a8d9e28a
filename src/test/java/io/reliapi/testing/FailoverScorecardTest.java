package io.reliapi.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.FailoverMetrics.SequenceItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** failoverbench's scoring rules, without a wall: checks, verdicts and the scorecard. */
class FailoverScorecardTest {
  static final Set<String> FALLBACK = Set.of("fallback");
  static final FailoverCall COMPLETE = FailoverCall.success(CanonicalAnswer.TEXT, "fb-ok", null, 1.0, 0.1, 62, 0, true);
  static final FailoverCall TRUNCATED = FailoverCall.success(
      String.join(" ", CanonicalAnswer.WORDS.subList(0, 40)), "fb-s08-stream-cut", null, 1.0, 0.1, 41, 0, false);
  static final FailoverCall CLEAN_ERROR = FailoverCall.failure("HTTP 503: overloaded", "overloaded", 503, null, 1.0);

  static List<WallAttempt> attempts(String model, double... times) {
    List<WallAttempt> log = new ArrayList<>();
    for (int i = 0; i < times.length; i++) {
      WallAttempt attempt = new WallAttempt(times[i], i + 1, model, WallFault.forModel(model).orElseThrow().tag, i + 1,
          true, "user");
      attempt.promptTokens(21);
      attempt.action("503");
      log.add(attempt);
    }
    return log;
  }

  static FailoverScorecard.ScenarioResult score(String id, FailoverCall call, List<WallAttempt> log, String profile) {
    FailoverScenario scenario = FailoverScenarios.byId(id);
    FailoverMetrics m = FailoverMetrics.of(scenario, call, log).withAlive(true, null);
    List<FailoverChecks.Result> checks = scenario.checks().stream()
        .map(c -> FailoverChecks.evaluate(c, m, FALLBACK, profile)).toList();
    return new FailoverScorecard.ScenarioResult(scenario, FailoverScorecard.verdictFor(scenario, checks, m), checks, m);
  }

  @Test
  void aHangIsAFail() {
    var result = score("S05", FailoverCall.hang("hang: no result within 20s", 21), attempts("fb-s05-reset", 0), "full");

    assertThat(result.verdict()).isEqualTo(new FailoverScorecard.Verdict("fail", "hang"));
  }

  @Test
  void aTruncatedAnswerPresentedAsSuccessIsAFail() {
    var result = score("S08", TRUNCATED, attempts("fb-s08-stream-cut", 0), "full");

    assertThat(result.verdict().verdict()).isEqualTo("fail");
    assertThat(result.verdict().reason()).isEqualTo("truncated answer presented as success");
  }

  @Test
  void aCleanErrorWithEveryRequiredCheckCleanIsSafe() {
    var result = score("S04", CLEAN_ERROR, attempts("fb-s04-503-persistent", 0, 0.2, 0.5), "full");

    assertThat(result.verdict().verdict()).isEqualTo("safe");
    assertThat(result.verdict().reason()).startsWith("not rescued — clean error: HTTP 503");
  }

  @Test
  void aFailedRequiredCheckIsAFailEvenWhenRescued() {
    var result = score("S04", COMPLETE, attempts("fb-s04-503-persistent", 0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6), "full");

    assertThat(result.verdict().verdict()).isEqualTo("fail");
    assertThat(result.verdict().reason()).isEqualTo("failed: bounded_attempts");
  }

  @Test
  void aRescueWithAFailedAdvisoryCheckIsPartial() {
    var result = score("S01", COMPLETE, attempts("fb-s01-429-retry-after", 0, 0.6), "full");

    assertThat(result.verdict().verdict()).isEqualTo("partial");
    assertThat(result.verdict().reason()).isEqualTo("rescued; advisory: retry_after_honoured");
    assertThat(score("S01", COMPLETE, attempts("fb-s01-429-retry-after", 0, 2.0), "full").verdictName())
        .isEqualTo("pass");
  }

  @Test
  void theContentFilterIsRescuedByAnErrorAndOnlyPartialWhenAnswered() {
    List<WallAttempt> once = attempts("fb-s13-content-filter", 0);

    assertThat(score("S13", CLEAN_ERROR, once, "full").verdictName()).isEqualTo("pass");
    assertThat(score("S13", COMPLETE, once, "full").verdict().reason())
        .isEqualTo("answered by routing around the rejection");
    assertThat(score("S13", CLEAN_ERROR, attempts("fb-s13-content-filter", 0, 0.1), "full").verdictName())
        .isEqualTo("fail");
  }

  @Test
  void aContextRetryPassesOnlyWhenEachAttemptIsSmallerThanTheOneBefore() {
    assertThat(discipline(100)).isEqualTo("pass");
    assertThat(discipline(100, 60)).isEqualTo("pass");
    assertThat(discipline(100, 100)).isEqualTo("fail");
    assertThat(discipline(100, 140)).isEqualTo("fail");
    assertThat(discipline(100, 60, 60)).isEqualTo("fail");
    assertThat(discipline(100, null)).isEqualTo("fail");
  }

  @Test
  void checksNeedingAFallbackAreNotApplicableToASystemWithoutOne() {
    FailoverScenario s16 = FailoverScenarios.byId("S16");
    FailoverMetrics m = FailoverMetrics.of(s16, CLEAN_ERROR, attempts("fb-s16-503-persistent", 0));

    assertThat(FailoverChecks.evaluate(s16.checks().getFirst(), m, Set.of(), "full").status()).isEqualTo("na");
  }

  @Test
  void theTestProfileMeasuresAgainstItsScaledLimits() {
    FailoverCall sevenSeconds = FailoverCall.failure("HTTP 504: late", null, 504, null, 7.0);
    List<WallAttempt> once = attempts("fb-s06-no-response", 0);

    assertThat(score("S06", sevenSeconds, once, "full").verdictName()).isEqualTo("safe");
    assertThat(score("S06", sevenSeconds, once, "test").verdict().reason()).isEqualTo("failed: within_budget");
  }

  @Test
  void theFlapSequenceCountsRequestsServedDuringTheOutageAndWhenThePrimaryCameBack() {
    FailoverScenario s15 = FailoverScenarios.byId("S15");
    List<WallAttempt> log = attempts("fb-s15-flap", 0.0, 0.1, 3.6);
    log.getLast().action("200 (recovered)");
    List<SequenceItem> items = List.of(new SequenceItem(0, 0.0, "success", true, 0.2, "fb-ok", null),
        new SequenceItem(1, 1.5, "success", true, 0.2, "fb-ok", null),
        new SequenceItem(2, 3.5, "success", true, 0.2, "fb-s15-flap", null));
    FailoverMetrics m = FailoverMetrics.of(s15, COMPLETE, log).withSequence(items, 3.7, 3.0);

    assertThat(m.sequence().requestsDuringDown()).isEqualTo(2);
    assertThat(m.sequence().servedDuringDown()).isEqualTo(2);
    assertThat(m.sequence().primaryAttemptsDuringDown()).isEqualTo(2);
    assertThat(m.sequence().recoveredAfterS()).isEqualTo(0.6);
    assertThat(s15.checks().stream().map(c -> FailoverChecks.evaluate(c, m, FALLBACK, "test").status()))
        .containsExactly("pass", "pass", "pass", "pass");
  }

  @Test
  void theScorecardHasARowPerScenarioAndTheTotals() {
    FailoverScorecard card = new FailoverScorecard("a gateway", "full");
    card.add(score("S04", CLEAN_ERROR, attempts("fb-s04-503-persistent", 0), "full"));
    card.add(score("S08", TRUNCATED, attempts("fb-s08-stream-cut", 0), "full"));

    assertThat(card.summary()).containsExactly(java.util.Map.entry("pass", 0L), java.util.Map.entry("partial", 0L),
        java.util.Map.entry("safe", 1L), java.util.Map.entry("fail", 1L));
    assertThat(card.markdown()).contains("0 pass · 0 partial · 1 safe · 1 fail",
        "| **S08** Stream cut mid-answer | fail | success | 1p/0f | 1.00s | truncated answer presented as success |",
        "- `no_truncated_success` FAIL: success with 40/60 words");
  }

  private static String discipline(Integer... sizes) {
    double[] times = new double[sizes.length];
    List<WallAttempt> log = attempts("fb-s12-context-length", times);
    for (int i = 0; i < sizes.length; i++) {
      if (sizes[i] != null) {
        log.get(i).promptTokens(sizes[i]);
      } else {
        log.set(i, new WallAttempt(0, i + 1, "fb-s12-context-length", "s12", i + 1, true, "user"));
      }
    }
    FailoverScenario s12 = FailoverScenarios.byId("S12");
    return FailoverChecks.evaluate(s12.checks().getFirst(), FailoverMetrics.of(s12, CLEAN_ERROR, log), FALLBACK, "full")
        .status();
  }
}
