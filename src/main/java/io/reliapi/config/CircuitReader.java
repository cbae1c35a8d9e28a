package io.reliapi.config;

import io.reliapi.config.CircuitConfig.RateRule;
import io.reliapi.config.CircuitConfig.WindowType;
import java.util.Map;
import java.util.Optional;

/** Reads a target's {@code circuit} block: the consecutive-failure rule and the opt-in rate rules. */
final class CircuitReader {
  private static final Map<String, WindowType> WINDOWS = Node.words(
      Map.entry("count", WindowType.COUNT), Map.entry("time", WindowType.TIME));

  private CircuitReader() {}

  static CircuitConfig read(Node node) {
    CircuitConfig d = CircuitConfig.defaults();
    if (!node.mapping(ConfigReader.SCHEMA.get("circuit"))) {
      return d;
    }
    return new CircuitConfig(
        node.field("enabled").bool(true),
        node.field("error_threshold").integer(d.errorThreshold(), 1, 1000),
        node.field("cooldown_s").integer(d.cooldownS(), 1, 86_400),
        node.field("half_open_calls").integer(d.halfOpenCalls(), 1, 1000),
        rates(node));
  }

  /**
   * Reads the rate rules: {@code failure_rate_percent} and {@code slow_call_ms} (with
   * {@code slow_call_rate_percent}) over {@code window}. A window without a rule to apply is a problem, as is
   * a slow-call rate without a slow-call time.
   */
  private static Optional<RateRule> rates(Node node) {
    Node failureRate = node.field("failure_rate_percent");
    Node slowMs = node.field("slow_call_ms");
    Node slowRate = node.field("slow_call_rate_percent");
    Node window = node.field("window");
    if (slowRate.present() && !slowMs.present()) {
      slowRate.problem("needs slow_call_ms, the time from which a call counts as slow");
    }
    if (!failureRate.present() && !slowMs.present()) {
      if (window.present()) {
        window.problem("needs failure_rate_percent or slow_call_ms, the rule the window is for");
      }
      return Optional.empty();
    }
    boolean written = window.mapping(ConfigReader.SCHEMA.get("circuit.window"));
    WindowType type = written ? window.field("type").choice(WINDOWS, WindowType.COUNT) : WindowType.COUNT;
    int size = !written ? RateRule.DEFAULT_COUNT_SIZE : type == WindowType.COUNT
        ? window.field("size").integer(RateRule.DEFAULT_COUNT_SIZE, 1, 10_000)
        : window.field("size").integer(RateRule.DEFAULT_TIME_SIZE_S, 1, 3600);
    int minCalls = written ? window.field("min_calls").integer(RateRule.DEFAULT_MIN_CALLS, 1, 10_000)
        : RateRule.DEFAULT_MIN_CALLS;
    if (type == WindowType.COUNT && minCalls > size) {
      window.field("min_calls").problem("must not exceed the count window's size (" + size + ")");
    }
    return Optional.of(new RateRule(type, size, minCalls,
        Optional.ofNullable(failureRate.number(null, 1, 100)),
        slowMs.present() ? Optional.of(slowMs.integer(1L, 1, 3_600_000)) : Optional.empty(),
        slowRate.number(RateRule.DEFAULT_SLOW_CALL_RATE_PERCENT, 1, 100)));
  }
}
