package io.reliapi.llm;

import io.reliapi.config.LlmConfig;
import io.reliapi.llm.cost.TokenCounter;
import io.reliapi.pipeline.Payload;
import java.util.Optional;

/**
 * What the cost stages need of an LLM request, whatever it asks for (a chat completion, embeddings): the model
 * per target, the output limit, how to count its prompt, and the estimate made for the current target. The cost
 * caps stage picks the model and output limit of each target and estimates the cost; the budget stage reserves
 * that estimate. A request with no output ({@link #maxTokens()} 0) is estimated on its input alone.
 */
public interface PricedRequest extends Payload {

  /** Returns the model the client named (without a {@code target/} prefix), if any. */
  Optional<String> requestedModel();

  /** Returns the client's output limit, if it set one; always empty for a request without output. */
  Optional<Integer> requestedMaxTokens();

  /** Returns the model for the current target. */
  String model();

  /** Returns the output limit the call carries, 0 for a request without output. */
  int maxTokens();

  /** Returns how many alternative answers the client asked for; output is priced for each. */
  int choices();

  /** Returns the cost estimate for the current target, once the cost caps stage made it. */
  Optional<CostEstimate> estimate();

  /** Returns whether the call has an output limit to cap (a request without output has none). */
  default boolean hasOutput() {
    return true;
  }

  /** Returns this request as a target with {@code model} and output limit {@code maxTokens} sees it, unestimated. */
  PricedRequest forTarget(String model, int maxTokens);

  PricedRequest withMaxTokens(int maxTokens);

  PricedRequest withEstimate(CostEstimate estimate);

  /** Counts the tokens the provider bills as input, as {@code counter} sees them for the current model. */
  long promptTokens(TokenCounter counter);

  /** Counts the tokens {@code provider} bills as input: media the model does not say the price of at its dearest. */
  default long promptTokens(TokenCounter counter, LlmConfig.Provider provider) {
    return promptTokens(counter);
  }
}
