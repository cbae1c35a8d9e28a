package io.reliapi.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks that fallback targets exist and that no chain leads back to a target already in it. */
final class FallbackGraph {
  private final Map<String, TargetConfig> targets;

  FallbackGraph(Map<String, TargetConfig> targets) {
    this.targets = targets;
  }

  void check(Node targetsNode) {
    for (TargetConfig target : targets.values()) {
      Node list = targetsNode.field(target.name()).field("fallback_targets");
      for (String next : target.fallbackTargets()) {
        if (!targets.containsKey(next)) {
          list.problems().add(list.path(), next, "names an unknown target");
        }
      }
      List<String> cycle = cycleFrom(target.name(), new ArrayList<>(), new HashSet<>());
      if (!cycle.isEmpty()) {
        list.problems().add(list.path(), String.join(" -> ", cycle),
            "fallback chains must not lead back to a target already in the chain");
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
