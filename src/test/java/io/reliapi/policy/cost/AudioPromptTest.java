package io.reliapi.policy.cost;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AudioPromptTest {
  @Test
  void audioDataBeyondTheWindowLeavesThePromptCount() {
    AudioPrompt data = new AudioPrompt(27_000, 2_000);
    assertThat(data.bounded()).isEqualTo(2_000);
    assertThat(data.prompt(27_050)).isEqualTo(2_050);
  }

  @Test
  void audioDataWithinTheWindowCountsAsItIs() {
    assertThat(new AudioPrompt(500, 2_000).prompt(550)).isEqualTo(550);
    assertThat(AudioPrompt.NONE.prompt(42)).isEqualTo(42);
  }
}
