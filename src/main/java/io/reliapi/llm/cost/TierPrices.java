package io.reliapi.llm.cost;

import io.reliapi.config.LlmConfig.ModelPrice;
import java.util.Optional;

/**
 * A model's prices in OpenAI's service tiers, as a request names them in {@code service_tier}: {@code priority}
 * and {@code flex}, each present only where the built-in table's source gives that tier's input and output prices.
 * A tier's price keeps the model's context window; one without its own cache-read price reads cache at the tier's
 * input price, as any price without one does.
 */
public record TierPrices(Optional<ModelPrice> priority, Optional<ModelPrice> flex) {

  /** Returns the price of {@code serviceTier} ({@code "priority"}, {@code "flex"}); empty for any other tier. */
  public Optional<ModelPrice> of(String serviceTier) {
    if ("priority".equals(serviceTier)) {
      return priority;
    }
    return "flex".equals(serviceTier) ? flex : Optional.empty();
  }
}
