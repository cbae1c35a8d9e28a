package io.reliapi.policy.cost;

import io.reliapi.config.LlmConfig.ModelPrice;
import io.reliapi.llm.cost.AudioUse;
import java.math.BigDecimal;

/**
 * The audio data of a prompt as a cost estimate counts it: its {@code dataTokens} (the base64, as the token counter
 * counts text) at most the model's context {@code window}, the most audio tokens a call can be billed for; both in the
 * prompt at the input price and in the surcharge up to the audio input price, so a minute of wav is not estimated at
 * dollars no provider bills (docs/guides/budget-control.md, "Audio"). Pure.
 */
record AudioPrompt(long dataTokens, long window) {
  static final AudioPrompt NONE = new AudioPrompt(0, 0);

  /** Returns the audio data tokens the estimate counts: at most the window. */
  long bounded() {
    return Math.min(dataTokens, window);
  }

  /** Returns the prompt's {@code counted} tokens with its audio data counted at most the window. */
  long prompt(long counted) {
    return Math.max(0, counted - (dataTokens - bounded()));
  }

  /** Returns what the bounded audio data cost above the input price, where {@code audio} is dearer than text. */
  BigDecimal surchargeUsd(AudioUse audio, ModelPrice price) {
    return audio.surcharged(price) ? AudioUse.inputSurchargeUsd(bounded(), price) : BigDecimal.ZERO;
  }
}
