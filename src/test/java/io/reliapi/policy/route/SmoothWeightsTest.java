package io.reliapi.policy.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmoothWeightsTest {
  private static final boolean[] ALL = {true, true, true};

  @Test
  void everyRunOfPicksSplitsExactlyByWeightAndSpreadsTheHeavyOnesPicks() {
    SmoothWeights weights = new SmoothWeights(new int[] {1, 1, 2});
    List<Integer> picks = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      picks.add(weights.next(ALL));
    }
    assertThat(picks).containsExactly(2, 0, 1, 2, 2, 0, 1, 2);
  }

  @Test
  void aDeploymentLeftOutGainsNothingMeanwhileSoItIsNotRushedOnItsReturn() {
    SmoothWeights weights = new SmoothWeights(new int[] {1, 1});
    for (int i = 0; i < 10; i++) {
      assertThat(weights.next(new boolean[] {false, true})).isEqualTo(1);
    }
    List<Integer> picks = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      picks.add(weights.next(new boolean[] {true, true}));
    }
    assertThat(picks).containsExactlyInAnyOrder(0, 0, 1, 1);
  }
}
