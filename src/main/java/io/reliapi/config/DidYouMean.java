package io.reliapi.config;

import java.util.Collection;
import java.util.Optional;

/** Suggests the allowed key nearest to a misspelt one (edit distance at most 2, or a shared prefix). */
final class DidYouMean {
  private DidYouMean() {}

  static Optional<String> closest(String key, Collection<String> allowed) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : allowed) {
      int d = distance(key.toLowerCase(), candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    if (best == null) {
      return Optional.empty();
    }
    boolean near = bestDistance <= Math.max(2, key.length() / 4)
        || best.startsWith(key) || key.startsWith(best);
    return near ? Optional.of(best) : Optional.empty();
  }

  /** Levenshtein distance, small inputs only. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
