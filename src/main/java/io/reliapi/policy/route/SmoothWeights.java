package io.reliapi.policy.route;

/**
 * Smooth weighted round robin (as nginx does it): each pick adds every candidate's weight to its running
 * score, takes the highest and takes the candidates' total weight off it, so over any run of picks each
 * candidate gets its share of the weight, spread evenly (weights 1:1:2 pick c, a, c, b, ...). A candidate
 * left out of a pick (cooling down, say) gains nothing meanwhile, so it is not rushed when it returns.
 * Shared by every event loop; a pick is a few additions under a lock that is never held across I/O.
 */
final class SmoothWeights {
  private final int[] weights;
  private final long[] scores;

  SmoothWeights(int[] weights) {
    this.weights = weights.clone();
    this.scores = new long[weights.length];
  }

  /** Returns the next index among {@code candidates} (at least one is true). */
  synchronized int next(boolean[] candidates) {
    int best = -1;
    long total = 0;
    for (int i = 0; i < weights.length; i++) {
      if (!candidates[i]) {
        continue;
      }
      scores[i] += weights[i];
      total += weights[i];
      if (best < 0 || scores[i] > scores[best]) {
        best = i;
      }
    }
    scores[best] -= total;
    return best;
  }
}
