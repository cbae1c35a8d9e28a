package io.reliapi.policy.resume;

import io.reliapi.llm.CostEstimate;
import io.reliapi.llm.cost.CacheWrites;
import io.reliapi.llm.cost.Costs;
import java.math.BigDecimal;

/**
 * A continuation's own estimate, from the estimate of the request it continues: its prompt is that prompt plus
 * the text given as the assistant's prefix, and its output the tokens left. The cost changes by the same tokens,
 * at the prices the original estimate was bounded at (so a cache write or a tool fee it counted stays counted).
 * Pure.
 */
final class ContinuationEstimate {
  private ContinuationEstimate() {}

  /** Returns the estimate of a continuation given {@code prefixTokens} more prompt and {@code left} output. */
  static CostEstimate of(CostEstimate original, long prefixTokens, int left) {
    var usd = original.usd().flatMap(before -> original.price().map(price -> {
      var bound = Costs.bound(price, CacheWrites.NONE);
      BigDecimal change = Costs.usd(prefixTokens, left, bound).subtract(Costs.usd(0, original.maxTokens(), bound));
      return BigDecimal.valueOf(before).add(change).max(BigDecimal.ZERO).doubleValue();
    }));
    return new CostEstimate(original.promptTokens() + prefixTokens, left, original.price(), usd);
  }
}
