package io.reliapi.llm.attempt;

import io.reliapi.config.LlmConfig.ModelPrice;
import io.reliapi.llm.Usage;
import io.reliapi.llm.cost.Costs;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.Exchange;
import java.util.Optional;

/** Prices one attempt's usage and records it: the request's cost, the token and cost metrics, the attempt span. */
final class UsageRecords {
  private UsageRecords() {}

  /**
   * Prices {@code usage} at {@code price} (cache, reasoning and audio tokens at their own prices), adds it to the
   * request's cost and counts it under {@code modelLabel}; returns the cost, or null when unpriced.
   */
  static Double settle(Usage usage, Optional<ModelPrice> price, String modelLabel, String responseModel,
      Exchange exchange, GatewayEvents events) {
    Double cost = price.map(p -> Costs.usd(usage, p).doubleValue()).orElse(null);
    if (cost != null) {
      exchange.trace().addCost(cost);
    }
    String target = exchange.target().name();
    events.llmUsage(target, modelLabel, usage.promptTokens(), usage.completionTokens(), cost == null ? 0 : cost);
    events.llmTokenDetails(target, modelLabel, usage.cacheReadTokens(), usage.cacheWriteTokens(),
        usage.reasoningTokens(), usage.audioPromptTokens(), usage.audioCompletionTokens());
    exchange.trace().llmUsage(responseModel, usage.promptTokens(), usage.completionTokens(), cost);
    return cost;
  }
}
