package io.reliapi.config;

import java.util.Optional;

/**
 * When a target sends a second, hedged attempt while the first is still unanswered: after a fixed
 * {@code after_ms}, or after the {@code after_percentile} of the target's recent attempt latencies.
 * Exactly one of the two is set.
 *
 * @param llm whether non-streaming LLM calls are hedged too (both attempts are charged)
 */
public record HedgeConfig(Optional<Long> afterMs, Optional<Double> afterPercentile, boolean llm) {}
