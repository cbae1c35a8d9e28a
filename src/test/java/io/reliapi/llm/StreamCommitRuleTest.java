package io.reliapi.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.LlmFaultRules.StreamCommit;
import org.junit.jupiter.api.Test;

/** Where a stream is committed to its reader, and when an end before that point is an empty answer. */
class StreamCommitRuleTest {
  private static final long HOLD = 100;

  @Test
  void withoutACommitModeTheFirstEventIsTheCommitPoint() {
    assertThat(new StreamCommitRule(StreamCommit.NONE, HOLD).reached(0, false)).isTrue();
  }

  @Test
  void atTheFirstTokenOnlyATokenReachesTheCommitPoint() {
    StreamCommitRule rule = new StreamCommitRule(StreamCommit.FIRST_TOKEN, HOLD);

    assertThat(rule.reached(50, false)).isFalse();
    assertThat(rule.reached(50, true)).isTrue();
  }

  @Test
  void whenCompleteNoTokenReachesTheCommitPoint() {
    assertThat(new StreamCommitRule(StreamCommit.COMPLETE, HOLD).reached(HOLD, true)).isFalse();
  }

  @Test
  void holdingMoreThanTheLimitReachesTheCommitPointInEveryMode() {
    for (StreamCommit mode : StreamCommit.values()) {
      assertThat(new StreamCommitRule(mode, HOLD).reached(HOLD + 1, false)).as(mode.name()).isTrue();
    }
  }

  @Test
  void anEndWithNeitherATokenNorAFinishReasonIsAnEmptyAnswer() {
    StreamCommitRule rule = new StreamCommitRule(StreamCommit.FIRST_TOKEN, HOLD);

    assertThat(rule.emptyAnswer(false, null)).isTrue();
    assertThat(rule.emptyAnswer(true, null)).isFalse();
    assertThat(rule.emptyAnswer(false, "length")).isFalse();
  }

  @Test
  void aStreamCommittedAtItsFirstEventIsNeverJudgedEmpty() {
    assertThat(new StreamCommitRule(StreamCommit.NONE, HOLD).emptyAnswer(false, null)).isFalse();
  }
}
