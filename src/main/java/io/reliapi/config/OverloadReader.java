package io.reliapi.config;

import io.reliapi.config.ClientConfig.Priority;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the overload controls: a target's {@code retry_budget} and {@code concurrency}, a client's
 * {@code priority}, and the {@code limits} (requests and tokens per minute) of clients and LLM targets.
 */
final class OverloadReader {
  private static final Map<String, Priority> PRIORITIES = Node.words(
      Map.entry("interactive", Priority.INTERACTIVE), Map.entry("batch", Priority.BATCH));

  private OverloadReader() {}

  static RetryBudgetConfig retryBudget(Node n) {
    RetryBudgetConfig d = RetryBudgetConfig.defaults();
    if (!n.mapping(ConfigReader.SCHEMA.get("retry_budget"))) {
      return d;
    }
    return new RetryBudgetConfig(
        n.field("enabled").bool(true),
        n.field("percent").number(d.percent(), 0, 1000),
        n.field("min_per_s").number(d.minPerS(), 0, 1e6),
        n.field("window_s").integer(d.windowS(), 1, 3600));
  }

  static Optional<ConcurrencyConfig> concurrency(Node n) {
    if (!n.mapping(ConfigReader.SCHEMA.get("concurrency"))) {
      return Optional.empty();
    }
    Node maxNode = n.field("max");
    int maxGiven = maxNode.present() ? maxNode.integer(ConcurrencyConfig.DEFAULT_MAX, 1, 100_000) : -1;
    int min = n.field("min").integer(
        maxGiven > 0 ? Math.min(ConcurrencyConfig.DEFAULT_MIN, maxGiven) : ConcurrencyConfig.DEFAULT_MIN, 1, 100_000);
    int max = maxGiven > 0 ? maxGiven : Math.max(min, ConcurrencyConfig.DEFAULT_MAX);
    if (max < min) {
      n.field("max").problem("must be at least min (" + min + ")");
    }
    return Optional.of(new ConcurrencyConfig(
        n.field("adaptive").bool(true), min, Math.max(min, max),
        n.field("queue_size").integer(ConcurrencyConfig.DEFAULT_QUEUE_SIZE, 0, 1_000_000),
        n.field("queue_timeout_ms").integer(ConcurrencyConfig.DEFAULT_QUEUE_TIMEOUT_MS, 1, 3_600_000)));
  }

  static Priority priority(Node n) {
    return n.choice(PRIORITIES, Priority.INTERACTIVE);
  }

  static Optional<LlmLimitsConfig> limits(Node n) {
    if (!n.mapping(ConfigReader.SCHEMA.get("limits"))) {
      return Optional.empty();
    }
    Node rpm = n.field("rpm");
    Node tpm = n.field("tpm");
    if (!rpm.present() && !tpm.present()) {
      n.problem("needs rpm, tpm or both");
    }
    return Optional.of(new LlmLimitsConfig(
        rpm.present() ? Optional.of(rpm.integer(1L, 1, 1_000_000_000L)) : Optional.empty(),
        tpm.present() ? Optional.of(tpm.integer(1L, 1, 1_000_000_000_000L)) : Optional.empty()));
  }
}
