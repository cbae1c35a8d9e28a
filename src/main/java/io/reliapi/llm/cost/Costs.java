package io.reliapi.llm.cost;

import io.reliapi.config.LlmConfig.ModelPrice;
import io.reliapi.llm.Usage;
import java.math.BigDecimal;

/**
 * Cost arithmetic in exact decimals (prices are per one million tokens), so estimates and caps compare
 * without binary floating-point noise: 1000 prompt tokens at 0.15 and 1024 output tokens at 0.6 cost exactly
 * 0.0007644.
 */
public final class Costs {
  private Costs() {}

  /** Returns the cost of {@code inputTokens} and {@code outputTokens} at {@code price}, without trailing zeros. */
  public static BigDecimal usd(long inputTokens, long outputTokens, ModelPrice price) {
    return BigDecimal.valueOf(inputTokens).multiply(perToken(price.inputPer1m()))
        .add(BigDecimal.valueOf(outputTokens).multiply(perToken(price.outputPer1m())))
        .stripTrailingZeros();
  }

  /**
   * Returns the cost of {@code usage} at {@code price}: prompt tokens read from or written to the provider's
   * cache at the cache prices and reasoning tokens at the reasoning price, where the price has them (else at
   * the input and output prices); the rest at the input and output prices. Web searches the provider ran
   * ({@link Usage#webSearches()}) add their fee ({@link ToolFees#WEB_SEARCH_USD} each).
   */
  public static BigDecimal usd(Usage usage, ModelPrice price) {
    return BigDecimal.valueOf(usage.uncachedPromptTokens()).multiply(perToken(price.inputPer1m()))
        .add(BigDecimal.valueOf(usage.cacheReadTokens()).multiply(perToken(price.cacheReadOrInput())))
        .add(BigDecimal.valueOf(usage.cacheWriteTokens()).multiply(perToken(price.cacheWriteOrInput())))
        .add(BigDecimal.valueOf(usage.completionTokens() - usage.reasoningTokens())
            .multiply(perToken(price.outputPer1m())))
        .add(BigDecimal.valueOf(usage.reasoningTokens()).multiply(perToken(price.reasoningOrOutput())))
        .add(BigDecimal.valueOf(usage.webSearches()).multiply(ToolFees.WEB_SEARCH_USD))
        .stripTrailingZeros();
  }

  /** Returns the price of one token given a price per million (exact: the decimal point moves six places). */
  public static BigDecimal perToken(double pricePer1m) {
    return BigDecimal.valueOf(pricePer1m).movePointLeft(6);
  }
}
