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
  /**
   * How many times the input price Anthropic bills a prompt token written to its cache for an hour
   * ({@code "ttl": "1h"}); the price table has only the five-minute write price.
   */
  public static final double HOUR_CACHE_WRITE_FACTOR = 2;
  /**
   * How many times the input price Anthropic bills a prompt token written to its cache for five minutes, for a model
   * whose price has no cache write price of its own ({@link PriceTable#price}).
   */
  public static final double CACHE_WRITE_FACTOR = 1.25;
  /** The per-token prices made last, by a hash of the price per million ({@link #perToken}). */
  private static final PerToken[] RECENT_PER_TOKEN = new PerToken[64];

  private record PerToken(double per1m, BigDecimal perToken) {}

  private Costs() {}

  /** Returns the cost of {@code inputTokens} and {@code outputTokens} at {@code price}, without trailing zeros. */
  public static BigDecimal usd(long inputTokens, long outputTokens, ModelPrice price) {
    return cost(inputTokens, price.inputPer1m()).add(cost(outputTokens, price.outputPer1m())).stripTrailingZeros();
  }

  /**
   * Returns the cost of {@code usage} at {@code price}: prompt tokens read from or written to the provider's
   * cache at the cache prices and reasoning tokens at the reasoning price, where the price has them (else at
   * the input and output prices; writes kept for an hour at {@link #HOUR_CACHE_WRITE_FACTOR} times the input
   * price); audio tokens at the audio prices (else at the input and output prices); the rest at the input and
   * output prices. Web searches the provider ran ({@link Usage#webSearches()}) add their fee
   * ({@link ToolFees#WEB_SEARCH_USD} each).
   */
  public static BigDecimal usd(Usage usage, ModelPrice price) {
    BigDecimal audio = plus(cost(usage.audioPromptTokens(), price.inputAudioOrInput()),
        cost(usage.audioCompletionTokens(), price.outputAudioOrOutput()));
    return plus(audio, text(usage.text(), price)).stripTrailingZeros();
  }

  /** Returns the cost of {@code usage}, which holds no audio tokens, at {@code price}. */
  private static BigDecimal text(Usage usage, ModelPrice price) {
    BigDecimal total = plus(BigDecimal.ZERO, cost(usage.uncachedPromptTokens(), price.inputPer1m()));
    total = plus(total, cost(usage.cacheReadTokens(), price.cacheReadOrInput()));
    total = plus(total, cost(usage.cacheWriteTokens() - usage.hourCacheWriteTokens(), price.cacheWriteOrInput()));
    total = plus(total, cost(usage.hourCacheWriteTokens(), hourCacheWrite(price)));
    total = plus(total, cost(usage.completionTokens() - usage.reasoningTokens(), price.outputPer1m()));
    total = plus(total, cost(usage.reasoningTokens(), price.reasoningOrOutput()));
    if (usage.webSearches() != 0) {
      total = total.add(BigDecimal.valueOf(usage.webSearches()).multiply(ToolFees.WEB_SEARCH_USD));
    }
    return total;
  }

  /** Adds {@code part}; most parts are zero, and adding one would still make a new decimal. */
  private static BigDecimal plus(BigDecimal total, BigDecimal part) {
    return part.signum() == 0 ? total : total.signum() == 0 ? part : total.add(part);
  }

  /**
   * Returns {@code tokens} at {@code pricePer1m}. No tokens cost nothing without turning the price into a decimal,
   * which is the dear part (most usages have no cache or reasoning tokens).
   */
  private static BigDecimal cost(long tokens, double pricePer1m) {
    return tokens == 0 ? BigDecimal.ZERO : BigDecimal.valueOf(tokens).multiply(perToken(pricePer1m));
  }

  /**
   * Returns the price a worst-case estimate is made at: each prompt token at the dearest price it can be billed at
   * given the cache {@code writes} the request asks for (a write for an hour at {@link #HOUR_CACHE_WRITE_FACTOR}
   * times the input price), and each output token at the dearer of the output and reasoning prices, since the
   * provider decides how much of the output is reasoning. Cache reads only lower a bill, so they are not counted on.
   */
  public static ModelPrice bound(ModelPrice price, CacheWrites writes) {
    double input = switch (writes) {
      case NONE -> price.inputPer1m();
      case FIVE_MINUTES -> Math.max(price.inputPer1m(), price.cacheWriteOrInput());
      case ONE_HOUR -> hourCacheWrite(price);
    };
    double output = Math.max(price.outputPer1m(), price.reasoningOrOutput());
    return input == price.inputPer1m() && output == price.outputPer1m() ? price
        : new ModelPrice(input, output, price.cacheReadPer1m(), price.cacheWritePer1m(), price.reasoningPer1m(),
            price.maxInputTokens(), price.inputAudioPer1m(), price.outputAudioPer1m());
  }

  /** Returns the price per 1M prompt tokens written to the cache for an hour: never below the five-minute price. */
  static double hourCacheWrite(ModelPrice price) {
    return Math.max(price.cacheWriteOrInput(), price.inputPer1m() * HOUR_CACHE_WRITE_FACTOR);
  }

  /**
   * Returns the price of one token given a price per million (exact: the decimal point moves six places). A request
   * asks for two to four of these, always among the few prices its models have, and turning a double into a decimal
   * (through its shortest text) is the dear part, so the last ones made are kept; a price evicted is made again.
   */
  public static BigDecimal perToken(double pricePer1m) {
    int slot = (int) (Double.doubleToRawLongBits(pricePer1m) * 0x9E3779B97F4A7C15L >>> 58);
    PerToken known = RECENT_PER_TOKEN[slot];
    if (known != null && known.per1m() == pricePer1m) {
      return known.perToken();
    }
    BigDecimal made = BigDecimal.valueOf(pricePer1m).movePointLeft(6);
    // A racing thread may replace the slot: each entry is immutable, so a reader sees a whole one.
    RECENT_PER_TOKEN[slot] = new PerToken(pricePer1m, made);
    return made;
  }
}
