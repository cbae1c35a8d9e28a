package io.reliapi.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What makes a target an LLM target: its provider protocol, default model, caps, budget and prices, and the
 * path prefixes its raw routes ({@code /t/}, {@code /proxy/http}) may reach besides the priced chat endpoint,
 * and how its faults are met ({@link LlmFaultRules}).
 */
public record LlmConfig(
    Provider provider,
    String defaultModel,
    int maxTokens,
    Optional<Double> softCostCapUsd,
    Optional<Double> hardCostCapUsd,
    int minOutputTokens,
    Optional<BudgetConfig> budget,
    Map<String, ModelPrice> prices,
    String anthropicVersion,
    List<String> rawPaths,
    LlmFaultRules faults) {

  public static final int DEFAULT_MAX_TOKENS = 1024;
  public static final int DEFAULT_MIN_OUTPUT_TOKENS = 16;
  public static final String DEFAULT_ANTHROPIC_VERSION = "2023-06-01";

  public LlmConfig {
    prices = Map.copyOf(prices);
    rawPaths = List.copyOf(rawPaths);
  }

  /** An LLM target whose raw routes reach only the chat endpoint. */
  public LlmConfig(Provider provider, String defaultModel, int maxTokens, Optional<Double> softCostCapUsd,
      Optional<Double> hardCostCapUsd, int minOutputTokens, Optional<BudgetConfig> budget,
      Map<String, ModelPrice> prices, String anthropicVersion) {
    this(provider, defaultModel, maxTokens, softCostCapUsd, hardCostCapUsd, minOutputTokens, budget, prices,
        anthropicVersion, List.of());
  }

  /** An LLM target whose faults are met the default way. */
  public LlmConfig(Provider provider, String defaultModel, int maxTokens, Optional<Double> softCostCapUsd,
      Optional<Double> hardCostCapUsd, int minOutputTokens, Optional<BudgetConfig> budget,
      Map<String, ModelPrice> prices, String anthropicVersion, List<String> rawPaths) {
    this(provider, defaultModel, maxTokens, softCostCapUsd, hardCostCapUsd, minOutputTokens, budget, prices,
        anthropicVersion, rawPaths, LlmFaultRules.DEFAULTS);
  }

  public boolean hasCaps() {
    return softCostCapUsd.isPresent() || hardCostCapUsd.isPresent();
  }

  public enum Provider { OPENAI, ANTHROPIC, MISTRAL }

  /** USD per one million tokens. */
  public record ModelPrice(double inputPer1m, double outputPer1m) {}
}
