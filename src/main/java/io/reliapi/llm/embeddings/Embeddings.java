package io.reliapi.llm.embeddings;

import io.reliapi.llm.Usage;
import java.util.List;

/**
 * An embeddings answer in the provider-neutral model: one float32 vector per input, in input order, the model
 * the provider reports, the input tokens it billed (no completion tokens) and its cost.
 *
 * @param usage   the tokens it consumed; null while unknown (a provider that reports none, before counting)
 * @param costUsd what it cost in USD; null when unpriced or not yet priced
 */
public record Embeddings(String model, List<float[]> vectors, Usage usage, Double costUsd) {

  public Embeddings {
    vectors = List.copyOf(vectors);
  }

  public Embeddings withUsage(Usage usage) {
    return new Embeddings(model, vectors, usage, costUsd);
  }

  public Embeddings withCost(Double costUsd) {
    return new Embeddings(model, vectors, usage, costUsd);
  }
}
