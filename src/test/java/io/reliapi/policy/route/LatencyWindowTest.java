package io.reliapi.policy.route;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyWindowTest {

  @Test
  void saysNothingUntilTwentyLatenciesAreKnown() {
    LatencyWindow window = new LatencyWindow();
    for (int i = 1; i < LatencyWindow.MIN_SAMPLES; i++) {
      window.record(i);
    }
    assertThat(window.percentileMs(95)).isEmpty();
    window.record(20);
    assertThat(window.percentileMs(95)).hasValue(19);
    assertThat(window.percentileMs(50)).hasValue(10);
  }

  @Test
  void keepsOnlyTheLatestLatencies() {
    LatencyWindow window = new LatencyWindow();
    for (int i = 0; i < LatencyWindow.SIZE; i++) {
      window.record(1_000);
    }
    for (int i = 0; i < LatencyWindow.SIZE; i++) {
      window.record(10);
    }
    assertThat(window.percentileMs(99.9)).hasValue(10);
  }
}
