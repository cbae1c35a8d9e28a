package io.reliapi.policy.route;

import io.reliapi.config.HedgeConfig;
import io.reliapi.config.TargetConfig;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The recent latencies of every target that hedges at a percentile, shared by every event loop. Made once per
 * process, so a config reload keeps a target's latencies while its {@code hedge} block and upstreams (base URL,
 * deployments) are unchanged: latencies of another upstream say nothing about this one.
 */
public final class HedgeLatencies {
  private final ConcurrentHashMap<String, Kept> byTarget = new ConcurrentHashMap<>();

  /** A window and what its latencies were measured for. */
  private record Kept(List<Object> measured, LatencyWindow window) {}

  /** Returns the window of {@code target}, or null when it does not hedge at a percentile. */
  LatencyWindow of(TargetConfig target) {
    if (target.hedge().flatMap(HedgeConfig::afterPercentile).isEmpty()) {
      return null;
    }
    List<Object> measured = List.of(target.hedge(), target.baseUrl(), target.deployments());
    Kept kept = byTarget.get(target.name());
    if (kept != null && kept.measured().equals(measured)) {
      return kept.window();
    }
    return byTarget.compute(target.name(), (name, old) ->
        old != null && old.measured().equals(measured) ? old : new Kept(measured, new LatencyWindow())).window();
  }
}
