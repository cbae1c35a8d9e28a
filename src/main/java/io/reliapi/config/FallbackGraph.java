package io.reliapi.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that fallback targets exist, that no chain leads back to a target already in it, and that a chain
 * does not mix LLM and plain HTTP targets (an LLM request cannot be answered by a plain HTTP target, nor the
 * other way round). An LLM target's {@code context_fallback} names other LLM targets.
 */
final class FallbackGraph {
  private final Map<String, TargetConfig> targets;

  FallbackGraph(Map<String, TargetConfig> targets) {
    this.targets = targets;
  }

  void check(Node targetsNode) {
    for (TargetConfig target : targets.values()) {
      Node list = targetsNode.field(target.name()).field("fallback_targets");
      for (String next : target.fallbackTargets()) {
        TargetConfig fallback = targets.get(next);
        if (fallback == null) {
          list.problems().add(list.path(), next, "names an unknown target");
        } else if (fallback.isLlm() != target.isLlm()) {
          list.problems().add(list.path(), next, target.isLlm()
              ? "fallbacks of an LLM target must be LLM targets" : "fallbacks of an HTTP target must not be LLM targets");
        }
      }
      target.llm().ifPresent(llm -> checkContextFallback(target, llm.faults().contextFallback(),
          targetsNode.field(target.name()).field("llm").field("context_fallback")));
      List<String> cycle = cycleFrom(target.name(), new ArrayList<>(), new HashSet<>());
      if (!cycle.isEmpty()) {
        list.problems().add(list.path(), String.join(" -> ", cycle),
            "fallback chains must not lead back to a target already in the chain");
      }
    }
  }

  /** A request too long for one target's model goes to other LLM targets (each tried at most once per request). */
  private void checkContextFallback(TargetConfig target, List<String> names, Node list) {
    for (String next : names) {
      TargetConfig fallback = targets.get(next);
      if (fallback == null) {
        list.problems().add(list.path(), next, "names an unknown target");
      } else if (!fallback.isLlm()) {
        list.problems().add(list.path(), next, "context fallbacks must be LLM targets");
      } else if (next.equals(target.name())) {
        list.problems().add(list.path(), next, "a target cannot be its own context fallback");
      }
    }
  }

  /** Returns the first cycle reachable from {@code name} that returns to the start, else empty. */
  private List<String> cycleFrom(String name, List<String> path, Set<String> seen) {
    path.add(name);
    TargetConfig target = targets.get(name);
    if (target != null) {
      for (String next : target.fallbackTargets()) {
        if (next.equals(path.get(0))) {
          List<String> cycle = new ArrayList<>(path);
          cycle.add(next);
          return cycle;
        }
        if (seen.add(next)) {
          List<String> found = cycleFrom(next, path, seen);
          if (!found.isEmpty()) {
            return found;
          }
        }
      }
    }
    path.remove(path.size() - 1);
    return List.of();
  }
}
