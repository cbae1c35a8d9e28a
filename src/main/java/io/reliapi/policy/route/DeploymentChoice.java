package io.reliapi.policy.route;

import java.util.function.DoubleSupplier;

/**
 * Chooses the deployment for one attempt among the candidates (those not cooling down, ejected or behind an
 * open breaker): the power of two choices over outstanding requests per unit of weight. One of the two comes
 * from a smooth weighted round robin, the other is drawn at random by weight; the one with fewer requests in
 * flight per unit of weight wins, a tie goes to the round robin's. Under load the outstanding counts keep the
 * split at the weights whatever each deployment's latency; one request at a time, the round robin does, with
 * no drift. Pure: the round robin's pick and the random draw come in as arguments.
 */
final class DeploymentChoice {
  private DeploymentChoice() {}

  /**
   * Returns the chosen index.
   *
   * @param roundRobin  the candidate the round robin proposes
   * @param random      draws from [0, 1) for the weighted second candidate
   */
  static int choose(int[] weights, int[] outstanding, boolean[] candidates, int roundRobin, DoubleSupplier random) {
    int drawn = drawByWeight(weights, candidates, random.getAsDouble());
    return fewerPerWeight(drawn, roundRobin, weights, outstanding) ? drawn : roundRobin;
  }

  /** Returns the candidate a draw in [0, 1) lands on, each candidate owning a share of the range by weight. */
  static int drawByWeight(int[] weights, boolean[] candidates, double draw) {
    long total = 0;
    for (int i = 0; i < weights.length; i++) {
      total += candidates[i] ? weights[i] : 0;
    }
    double point = draw * total;
    int last = -1;
    for (int i = 0; i < weights.length; i++) {
      if (!candidates[i]) {
        continue;
      }
      last = i;
      point -= weights[i];
      if (point < 0) {
        return i;
      }
    }
    return last;
  }

  /** Returns whether {@code a} has strictly fewer requests in flight per unit of weight than {@code b}. */
  static boolean fewerPerWeight(int a, int b, int[] weights, int[] outstanding) {
    return (long) outstanding[a] * weights[b] < (long) outstanding[b] * weights[a];
  }
}
