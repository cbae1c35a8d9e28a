package io.reliapi.policy.route;

import io.reliapi.config.GatewayConfig;
import io.reliapi.config.TargetConfig;
import java.util.HashMap;
import java.util.Map;

/** The recent latencies of every target that hedges at a percentile, built once per config and shared. */
public final class HedgeLatencies {
  private final Map<String, LatencyWindow> byTarget = new HashMap<>();

  public HedgeLatencies(GatewayConfig config) {
    for (TargetConfig target : config.targets().values()) {
      if (target.hedge().flatMap(h -> h.afterPercentile()).isPresent()) {
        byTarget.put(target.name(), new LatencyWindow());
      }
    }
  }

  /** Returns the window of {@code target}, or null when it does not hedge at a percentile. */
  LatencyWindow of(String target) {
    return byTarget.get(target);
  }
}
