package io.reliapi.policy.cost;

import io.reliapi.config.LlmConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.llm.PricedRequest;
import java.util.List;

/**
 * Which model and {@code max_tokens} a target gets (SPEC §2.3, §3.7). The primary target runs the model the
 * client named, else its {@code default_model}. A fallback target runs the client's model only if it serves
 * it — the model is its {@code default_model} or is named in its {@code llm.prices} — and otherwise its own
 * {@code default_model}, so an OpenAI request falling back to Anthropic asks for a Claude model. The
 * client's {@code max_tokens} is capped by each target's {@code llm.max_tokens}, which is also the default.
 * Chat and embedding requests alike ({@link PricedRequest}).
 */
public final class ModelChoice {
  private ModelChoice() {}

  public static String model(PricedRequest request, LlmConfig llm, boolean primary) {
    if (primary) {
      return request.requestedModel().orElse(llm.defaultModel());
    }
    return request.requestedModel().filter(model -> serves(llm, model)).orElse(llm.defaultModel());
  }

  /**
   * Returns the model for {@code target}, as {@link #model(PricedRequest, LlmConfig, boolean)}; a fallback target whose
   * deployments rename its model runs its default model, which is what would answer any model named.
   */
  public static String model(PricedRequest request, TargetConfig target, LlmConfig llm, boolean primary) {
    return primary || !renames(target) ? model(request, llm, primary) : llm.defaultModel();
  }

  public static boolean serves(LlmConfig llm, String model) {
    return model.equals(llm.defaultModel()) || llm.prices().containsKey(model);
  }

  /**
   * Returns whether a call of {@code model} to {@code target} would be answered by another model: a deployment's
   * {@code model} replaces the one a call names with its own name for the target's {@code default_model}, so a call
   * naming any other model is answered, and billed, as the default model ({@link RenamedModelPrice}).
   */
  public static boolean answeredAsDefault(TargetConfig target, String model) {
    return !model.equals(target.llm().map(LlmConfig::defaultModel).orElse(model)) && renames(target);
  }

  /**
   * Returns the models that may answer a call of {@code model} to {@code target}: it, and where deployments rename
   * the model ({@link #answeredAsDefault}), the default model too (a deployment without a {@code model} of its own
   * sends the one named). The estimate counts the prompt for each and keeps the largest count and bound, as the price
   * is the dearer of them ({@link RenamedModelPrice}).
   */
  public static List<String> answering(TargetConfig target, String model) {
    return answeredAsDefault(target, model) ? List.of(model, target.llm().orElseThrow().defaultModel())
        : List.of(model);
  }

  private static boolean renames(TargetConfig target) {
    return target.deployments().stream().anyMatch(deployment -> deployment.model().isPresent());
  }

  /** Returns the output limit for a target; a request without output (embeddings) has none: 0. */
  public static int maxTokens(PricedRequest request, LlmConfig llm) {
    if (!request.hasOutput()) {
      return 0;
    }
    return request.requestedMaxTokens().map(asked -> Math.min(asked, llm.maxTokens())).orElse(llm.maxTokens());
  }
}
