package io.reliapi.policy.route;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeploymentChoiceTest {
  private static final int[] ONE_ONE_TWO = {1, 1, 2};
  private static final boolean[] ALL = {true, true, true};

  @Test
  void aRandomDrawLandsOnEachCandidateInProportionToItsWeight() {
    assertThat(DeploymentChoice.drawByWeight(ONE_ONE_TWO, ALL, 0.0)).isZero();
    assertThat(DeploymentChoice.drawByWeight(ONE_ONE_TWO, ALL, 0.24)).isZero();
    assertThat(DeploymentChoice.drawByWeight(ONE_ONE_TWO, ALL, 0.26)).isEqualTo(1);
    assertThat(DeploymentChoice.drawByWeight(ONE_ONE_TWO, ALL, 0.51)).isEqualTo(2);
    assertThat(DeploymentChoice.drawByWeight(ONE_ONE_TWO, ALL, 0.999)).isEqualTo(2);
  }

  @Test
  void aDrawNeverLandsOnADeploymentThatIsNotACandidate() {
    boolean[] notTheHeavyOne = {true, true, false};
    for (double draw = 0; draw < 1; draw += 0.01) {
      assertThat(DeploymentChoice.drawByWeight(ONE_ONE_TWO, notTheHeavyOne, draw)).isNotEqualTo(2);
    }
  }

  @Test
  void theCandidateWithFewerRequestsInFlightPerUnitOfWeightWins() {
    int[] outstanding = {3, 0, 4};
    // The draw proposes 1 (idle); the round robin proposes 0 (3 in flight): 1 wins.
    assertThat(DeploymentChoice.choose(ONE_ONE_TWO, outstanding, ALL, 0, () -> 0.3)).isEqualTo(1);
    // The heavy one with 4 in flight has 2 per unit of weight, fewer than 3: it beats deployment 0.
    assertThat(DeploymentChoice.choose(ONE_ONE_TWO, outstanding, ALL, 0, () -> 0.9)).isEqualTo(2);
  }

  @Test
  void aTieGoesToTheRoundRobinsCandidate() {
    int[] outstanding = {2, 1, 2};
    assertThat(DeploymentChoice.choose(ONE_ONE_TWO, outstanding, ALL, 1, () -> 0.9)).isEqualTo(1);
    assertThat(DeploymentChoice.choose(ONE_ONE_TWO, new int[3], ALL, 0, () -> 0.9)).isZero();
  }
}
