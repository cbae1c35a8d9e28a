package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When timeouts add up to a lost Redis: one after another, not many at once (numbers are send order). */
class TimeoutRunTest {
  private static final int LIMIT = RedisHealth.TIMEOUTS_IN_A_ROW;

  @Test
  void commandsSentOneAfterAnotherEachTimingOutReachTheLimit() {
    TimeoutRun run = TimeoutRun.NONE;
    for (int sent = 0; sent < LIMIT; sent++) {
      assertThat(run.reaches(LIMIT)).isFalse();
      run = run.afterTimeout(sent, sent + 1);
    }
    assertThat(run.reaches(LIMIT)).isTrue();
  }

  @Test
  void thirtyCommandsInFlightTogetherThatAllTimeOutCountOnce() {
    TimeoutRun run = TimeoutRun.NONE;
    for (int sent = 0; sent < 30; sent++) {
      run = run.afterTimeout(sent, 30);
    }
    assertThat(run.length()).isEqualTo(1);
    assertThat(run.reaches(LIMIT)).isFalse();
  }

  @Test
  void aCommandSentAfterTheRunLastGrewLengthensItWhileItsElderSiblingsDoNot() {
    TimeoutRun run = TimeoutRun.NONE.afterTimeout(0, 10);
    run = run.afterTimeout(10, 11);
    run = run.afterTimeout(5, 12);
    assertThat(run).isEqualTo(new TimeoutRun(2, 11));
  }

  @Test
  void anAnswerEndsTheRunAndCommandsInFlightBeforeItsLastTimeoutStillCountAsSiblings() {
    TimeoutRun run = TimeoutRun.NONE.afterTimeout(0, 10).afterTimeout(10, 20).afterAnswer();
    assertThat(run.length()).isZero();
    assertThat(run.afterTimeout(15, 25).length()).isZero();
    assertThat(run.afterTimeout(20, 25)).isEqualTo(new TimeoutRun(1, 25));
  }
}
