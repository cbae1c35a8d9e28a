package io.reliapi.policy.idempotency;

import io.reliapi.config.TargetConfig;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How long after its arrival a request to each target may still stream an answer: the longest {@code stream_max_s}
 * among the targets it may reach, itself and every target its {@code fallback_targets} and {@code
 * llm.context_fallback} lead to, however far. A claim in memory lasts that long, and no longer: a target of short
 * streams must not keep a dead claim for the longest stream of another target it never falls back to. Pure.
 */
final class StreamReach {
  private StreamReach() {}

  /** Returns, by target name, the longest {@code stream_max_s} its requests may stream for, in ms (0: none). */
  static Map<String, Long> longestMs(Collection<TargetConfig> targets) {
    Map<String, TargetConfig> byName = new HashMap<>();
    targets.forEach(target -> byName.put(target.name(), target));
    Map<String, Long> longest = new HashMap<>();
    for (TargetConfig target : targets) {
      longest.put(target.name(), longestFrom(byName, target));
    }
    return Map.copyOf(longest);
  }

  private static long longestFrom(Map<String, TargetConfig> byName, TargetConfig start) {
    Set<String> seen = new HashSet<>();
    Deque<TargetConfig> next = new ArrayDeque<>(List.of(start));
    long longest = 0;
    while (!next.isEmpty()) {
      TargetConfig target = next.poll();
      if (!seen.add(target.name())) {
        continue;
      }
      longest = Math.max(longest, target.streamMaxMs().orElse(0L));
      List<String> contextFallback = target.llm().map(llm -> llm.faults().contextFallback()).orElse(List.of());
      for (List<String> names : List.of(target.fallbackTargets(), contextFallback)) {
        for (String name : names) {
          TargetConfig reached = byName.get(name);
          if (reached != null) {
            next.add(reached);
          }
        }
      }
    }
    return longest;
  }
}
