package io.reliapi.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SentAtTest {
  @Test
  void anAttemptNeverSentTakesTheStagesWholeTime() {
    assertThat(new SentAt().elapsed(100, 350)).isEqualTo(250);
  }

  @Test
  void anAttemptSentAfterTheStageStartedCountsFromTheSend() {
    SentAt sent = new SentAt();
    sent.mark(300);
    assertThat(sent.elapsed(100, 350)).isEqualTo(50);
  }

  @Test
  void aSendBeforeTheStageStartedIsAnEarlierAttemptsAndDoesNotCount() {
    SentAt sent = new SentAt();
    sent.mark(50);
    assertThat(sent.elapsed(100, 350)).isEqualTo(250);
  }
}
