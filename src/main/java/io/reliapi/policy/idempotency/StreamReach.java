package io.reliapi.policy.idempotency;

import io.reliapi.config.TargetConfig;
import io.reliapi.policy.fallback.FallbackChain;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How long after its arrival a request to each target may still stream an answer: the longest {@code stream_max_s}
 * among the targets it may reach, itself and every target its {@code fallback_targets} and {@code
 * llm.context_fallback} lead to, however far ({@link FallbackChain}, which walks them as the fallback stage does). A
 * claim in memory lasts that long, and no longer: a target of short streams must not keep a dead claim for the longest
 * stream of another target it never falls back to. Pure.
 */
final class StreamReach {
  private StreamReach() {}

  /** Returns, by target name, the longest {@code stream_max_s} its requests may stream for, in ms (0: none). */
  static Map<String, Long> longestMs(Collection<TargetConfig> targets) {
    Map<String, TargetConfig> byName = new HashMap<>();
    targets.forEach(target -> byName.put(target.name(), target));
    Map<String, Long> longest = new HashMap<>();
    for (TargetConfig target : targets) {
      long ms = 0;
      for (TargetConfig reached : reach(byName, target.name())) {
        ms = Math.max(ms, reached.streamMaxMs().orElse(0L));
      }
      longest.put(target.name(), ms);
    }
    return Map.copyOf(longest);
  }

  /** Returns every target a request to {@code start} may reach: its chain, and where each one's context fallback leads. */
  private static List<TargetConfig> reach(Map<String, TargetConfig> byName, String start) {
    List<TargetConfig> reach = FallbackChain.of(byName, start);
    for (int i = 0; i < reach.size(); i++) {
      reach = FallbackChain.continuedBy(byName, reach,
          reach.get(i).llm().map(llm -> llm.faults().contextFallback()).orElse(List.of()));
    }
    return reach;
  }
}
