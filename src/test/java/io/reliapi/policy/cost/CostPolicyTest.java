package io.reliapi.policy.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.LlmConfig.ModelPrice;
import io.reliapi.policy.cost.CostPolicy.Allow;
import io.reliapi.policy.cost.CostPolicy.Caps;
import io.reliapi.policy.cost.CostPolicy.Estimate;
import io.reliapi.policy.cost.CostPolicy.Reject;
import io.reliapi.policy.cost.CostPolicy.Throttle;
import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Worked examples of the caps, with exact numbers (gpt-4o-mini: $0.15 in, $0.60 out per 1M tokens). */
class CostPolicyTest {
  static final ModelPrice MINI = new ModelPrice(0.15, 0.60);
  static final ModelPrice GPT_4O = new ModelPrice(2.5, 10.0);

  static Caps caps(Double soft, Double hard) {
    return new Caps(Optional.ofNullable(soft), Optional.ofNullable(hard), 16);
  }

  static BigDecimal usd(String amount) {
    return new BigDecimal(amount);
  }

  @Test
  void estimatesPromptAtTheInputPriceAndMaxTokensAtTheOutputPrice() {
    // 1000 × 0.15 / 1M + 1024 × 0.60 / 1M = 0.00015 + 0.0006144
    var decision = CostPolicy.apply(new Estimate(1000, 1024, 1, MINI), caps(null, null));
    assertThat(decision).isInstanceOf(Allow.class);
    assertThat(decision.estimateUsd()).isEqualByComparingTo(usd("0.0007644"));
  }

  @Test
  void pricesOutputForEveryChoiceRequested() {
    // 1000 × 0.15 / 1M + 2 × 1024 × 0.60 / 1M
    var decision = CostPolicy.apply(new Estimate(1000, 1024, 2, MINI), caps(null, null));
    assertThat(decision.estimateUsd()).isEqualByComparingTo(usd("0.0013788"));
  }

  @Test
  void addsTheBoundOnToolFeesToTheEstimate() {
    // 0.0007644 in tokens + at most 3 web searches at 0.01
    var decision = CostPolicy.apply(new Estimate(1000, 1024, 1, MINI, usd("0.03")), caps(null, null));
    assertThat(decision.estimateUsd()).isEqualByComparingTo(usd("0.0307644"));
  }

  @Test
  void rejectsAboveTheHardCapWhenOnlyTheToolFeesPushTheEstimateOverIt() {
    var decision = CostPolicy.apply(new Estimate(1000, 1024, 1, MINI, usd("0.01")), caps(null, 0.01));
    assertThat(decision).isInstanceOf(Reject.class);
    assertThat(decision.estimateUsd()).isEqualByComparingTo(usd("0.0107644"));
  }

  @Test
  void leavesTheSoftCapRoomForTheToolFeesBeforeLoweringMaxTokens() {
    // room = 0.0105 − 0.00015 − 0.01 = 0.00035 → 583 tokens, as without fees under a cap of 0.0005
    var decision = CostPolicy.apply(new Estimate(1000, 1024, 1, MINI, usd("0.01")), caps(0.0105, null));
    assertThat(decision).isEqualTo(new Throttle(583, 1024, usd("0.0104998")));
  }

  @Test
  void lowersMaxTokensToTheLargestValueUnderTheSoftCap() {
    // room = 0.0005 − 0.00015 = 0.00035; 0.00035 / 0.0000006 = 583.3 → 583; 0.00015 + 583 × 0.0000006 = 0.0004998
    var decision = CostPolicy.apply(new Estimate(1000, 1024, 1, MINI), caps(0.0005, null));
    assertThat(decision).isEqualTo(new Throttle(583, 1024, usd("0.0004998")));
  }

  @Test
  void keepsAnEstimateThatLandsExactlyOnTheSoftCap() {
    // The seed's caps on gpt-4o: 2000 × 2.5 / 1M + 1024 × 10 / 1M = 0.01524 > 0.01
    // → (0.01 − 0.005) / 0.00001 = 500 tokens, whose estimate is exactly 0.01: it fits.
    var decision = CostPolicy.apply(new Estimate(2000, 1024, 1, GPT_4O), caps(0.01, 0.05));
    assertThat(decision).isEqualTo(new Throttle(500, 1024, usd("0.01")));
    var exact = CostPolicy.apply(new Estimate(2000, 500, 1, GPT_4O), caps(0.01, 0.05));
    assertThat(exact).isInstanceOf(Allow.class);
  }

  @Test
  void neverLowersMaxTokensBelowTheMinimumOutput() {
    // The prompt alone (0.00015) is above the soft cap: nothing fits, so max_tokens goes to 16.
    // 0.00015 + 16 × 0.0000006 = 0.0001596
    var decision = CostPolicy.apply(new Estimate(1000, 1024, 1, MINI), caps(0.0001, null));
    assertThat(decision).isEqualTo(new Throttle(16, 1024, usd("0.0001596")));
  }

  @Test
  void neverRaisesMaxTokensAboveWhatTheRequestAskedFor() {
    // Asked for 10 tokens, below the minimum of 16: throttling cannot help, so nothing changes.
    var decision = CostPolicy.apply(new Estimate(1000, 10, 1, MINI), caps(0.0001, null));
    assertThat(decision).isInstanceOf(Allow.class);
    assertThat(decision.estimateUsd()).isEqualByComparingTo(usd("0.000156"));
  }

  @Test
  void rejectsAnEstimateAboveTheHardCap() {
    var decision = CostPolicy.apply(new Estimate(1000, 1024, 1, MINI), caps(null, 0.0005));
    assertThat(decision).isEqualTo(new Reject(usd("0.0007644"), 0.0005, 1024, 1024));
    assertThat(((Reject) decision).throttledFirst()).isFalse();
  }

  @Test
  void checksTheHardCapAgainAfterThrottling() {
    // Throttled to the 16-token floor (0.0001596), which is still above the hard cap of 0.00015.
    var decision = CostPolicy.apply(new Estimate(1000, 1024, 1, MINI), caps(0.0001, 0.00015));
    assertThat(decision).isEqualTo(new Reject(usd("0.0001596"), 0.00015, 16, 1024));
    assertThat(((Reject) decision).throttledFirst()).isTrue();
  }

  @Test
  void aThrottledEstimateUnderTheHardCapGoesAhead() {
    var decision = CostPolicy.apply(new Estimate(1000, 1024, 1, MINI), caps(0.0005, 0.0006));
    assertThat(decision).isEqualTo(new Throttle(583, 1024, usd("0.0004998")));
  }

  @Test
  void doesNotThrottleWhenOutputIsFree() {
    var free = new ModelPrice(1.0, 0.0);
    var decision = CostPolicy.apply(new Estimate(1000, 1024, 1, free), caps(0.0005, null));
    assertThat(decision).isInstanceOf(Allow.class);
    assertThat(decision.estimateUsd()).isEqualByComparingTo(usd("0.001"));
  }

  /** The numbers of docs/guides/budget-control.md: the seed's caps (soft 0.01, hard 0.05) on gpt-4o. */
  @Test
  void reproducesTheBudgetGuidesWorkedExamples() {
    Caps seed = caps(0.01, 0.05);
    // 500 prompt tokens: 0.00125 + 0.01024 = 0.01149 > 0.01 → (0.01 − 0.00125) / 0.00001 = 875 tokens, 0.01
    assertThat(CostPolicy.apply(new Estimate(500, 1024, 1, GPT_4O), seed)).isEqualTo(new Throttle(875, 1024, usd("0.01")));
    // 200 prompt tokens: 0.0005 + 0.01024 = 0.01074 → 950 tokens, 0.01
    assertThat(CostPolicy.apply(new Estimate(200, 1024, 1, GPT_4O), seed)).isEqualTo(new Throttle(950, 1024, usd("0.01")));
    // max_tokens 256: 0.0005 + 0.00256 = 0.00306, under both caps
    assertThat(CostPolicy.apply(new Estimate(200, 256, 1, GPT_4O), seed)).isEqualTo(new Allow(usd("0.00306")));
    // 10 000 prompt tokens: the prompt alone (0.025) is over the soft cap → 16 tokens, 0.02516, under the hard cap
    assertThat(CostPolicy.apply(new Estimate(10_000, 1024, 1, GPT_4O), seed)).isEqualTo(new Throttle(16, 1024, usd("0.02516")));
    // 20 000 prompt tokens: even at 16 tokens 0.05016 > 0.05 → rejected
    assertThat(CostPolicy.apply(new Estimate(20_000, 1024, 1, GPT_4O), seed)).isEqualTo(new Reject(usd("0.05016"), 0.05, 16, 1024));
  }
}
