package io.reliapi.llm;

import io.reliapi.config.LlmConfig.ModelPrice;
import java.util.Optional;

/**
 * The pre-call estimate for one target, set by the cost caps stage: the prompt's token count, the
 * {@code max_tokens} the call will carry, the model's price and the worst-case cost in USD (both empty
 * when the model has no known price).
 */
public record CostEstimate(long promptTokens, int maxTokens, Optional<ModelPrice> price, Optional<Double> usd) {}
