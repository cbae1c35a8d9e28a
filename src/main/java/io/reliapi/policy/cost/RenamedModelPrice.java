package io.reliapi.policy.cost;

import io.reliapi.config.LlmConfig.ModelPrice;
import java.util.Optional;
import java.util.function.BinaryOperator;

/**
 * The price of a call to a target whose deployments rename its model ({@link ModelChoice#answeredAsDefault}): the call
 * names one model and a deployment answers with the target's default model under its own name, which may be another
 * dated id of the same model (an Azure pool's {@code gpt-4o} for a client's {@code gpt-4o-2024-08-06}) or another
 * model. Pricing it at the dearer of the two, each kind of token at the dearer price, never reserves less than either
 * bills; a call where either has no price has no price. The prompt is counted as each of the two bills it, and the
 * larger count taken ({@link ModelChoice#answering}, {@link PromptBounds}): a deployment may answer as either.
 */
final class RenamedModelPrice {
  private RenamedModelPrice() {}

  static Optional<ModelPrice> of(Optional<ModelPrice> named, Optional<ModelPrice> answering) {
    return named.flatMap(a -> answering.map(b -> dearer(a, b)));
  }

  static ModelPrice dearer(ModelPrice a, ModelPrice b) {
    return new ModelPrice(Math.max(a.inputPer1m(), b.inputPer1m()), Math.max(a.outputPer1m(), b.outputPer1m()),
        either(a.cacheReadPer1m(), b.cacheReadPer1m(), Math.max(a.cacheReadOrInput(), b.cacheReadOrInput())),
        either(a.cacheWritePer1m(), b.cacheWritePer1m(), Math.max(a.cacheWriteOrInput(), b.cacheWriteOrInput())),
        either(a.reasoningPer1m(), b.reasoningPer1m(), Math.max(a.reasoningOrOutput(), b.reasoningOrOutput())),
        both(a.maxInputTokens(), b.maxInputTokens(), Math::max),
        both(a.inputAudioPer1m(), b.inputAudioPer1m(), Math::max),
        both(a.outputAudioPer1m(), b.outputAudioPer1m(), Math::max));
  }

  /** A price of its own where either has one (the other's falls back to its base price, taken into {@code max}). */
  private static Optional<Double> either(Optional<Double> a, Optional<Double> b, double max) {
    return a.isPresent() || b.isPresent() ? Optional.of(max) : Optional.empty();
  }

  /** A figure only where both have one: without it the gateway assumes the most (a window) or has no price (audio). */
  private static <T> Optional<T> both(Optional<T> a, Optional<T> b, BinaryOperator<T> pick) {
    return a.isPresent() && b.isPresent() ? Optional.of(pick.apply(a.get(), b.get())) : Optional.empty();
  }
}
