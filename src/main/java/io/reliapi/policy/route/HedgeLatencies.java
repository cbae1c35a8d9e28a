package io.reliapi.policy.route;

import io.reliapi.config.HedgeConfig;
import io.reliapi.config.TargetConfig;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The recent latencies of every target that hedges at a percentile, shared by every event loop. Made once per
 * process, so a config reload keeps a target's latencies while its {@code hedge} block and upstreams (base URL,
 * deployments' names, URLs and models) are unchanged: latencies of another upstream say nothing about this one.
 */
public final class HedgeLatencies {
  private final ConcurrentHashMap<String, Kept> byTarget = new ConcurrentHashMap<>();

  /** A window, what its latencies were measured for, and the config it was last asked for by. */
  private record Kept(List<Object> measured, LatencyWindow window, TargetConfig seen) {}

  /** Returns the window of {@code target}, or null when it does not hedge at a percentile. */
  LatencyWindow of(TargetConfig target) {
    if (target.hedge().flatMap(HedgeConfig::afterPercentile).isEmpty()) {
      return null;
    }
    Kept kept = byTarget.get(target.name());
    if (kept != null && kept.seen() == target) { // the same loaded config: nothing to compare (every request)
      return kept.window();
    }
    List<Object> measured = List.of(target.hedge(), target.baseUrl(), upstreams(target));
    return byTarget.compute(target.name(), (name, old) -> old != null && old.measured().equals(measured)
        ? new Kept(measured, old.window(), target) : new Kept(measured, new LatencyWindow(), target)).window();
  }

  /**
   * Returns what the latencies of {@code target}'s deployments were measured against: their names, URLs and models.
   * Not the rest of a deployment (its credential, weight or LLM settings such as prices and rate limits), which a
   * reload may edit without making another upstream.
   */
  private static List<List<Object>> upstreams(TargetConfig target) {
    return target.deployments().stream()
        .map(deployment -> List.<Object>of(deployment.name(), deployment.baseUrl(), deployment.model()))
        .toList();
  }
}
