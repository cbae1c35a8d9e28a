package io.reliapi.llm;

import io.reliapi.config.DeploymentConfig;
import io.reliapi.config.LlmConfig;
import io.reliapi.config.OpenAiHosts;
import io.reliapi.config.TargetConfig;
import java.util.OptionalInt;

/**
 * How many stop sequences a request written in another protocol (Anthropic's {@code stop_sequences}) may carry when
 * it is translated for a target. OpenAI's API (and Azure OpenAI) refuse more than 4 with a 400; the servers behind
 * {@code provider: openai} elsewhere (vLLM, Ollama, LiteLLM) take more, so they are sent all of them. Mistral and
 * Gemini keep the limit of 4 the gateway has always applied to them. Sending only the first ones would let the answer
 * run past the others, so a request over the limit is refused for that target instead.
 */
public final class StopSequenceLimit {
  /** OpenAI's limit. */
  public static final int OPENAI = 4;

  private StopSequenceLimit() {}

  /** Returns the most stop sequences a translation for {@code target} carries, or empty when no limit is known. */
  public static OptionalInt of(TargetConfig target) {
    if (target.llm().isEmpty()) {
      return OptionalInt.empty();
    }
    return switch (target.llm().get().provider()) {
      case ANTHROPIC -> OptionalInt.empty();
      case MISTRAL, GEMINI -> OptionalInt.of(OPENAI);
      case OPENAI -> atOpenAi(target) ? OptionalInt.of(OPENAI) : OptionalInt.empty();
    };
  }

  /**
   * Returns whether {@code target} would be sent a translation of {@code request} with more stop sequences than it
   * takes; a client writing in the target's own protocol, or in OpenAI's chat dialect, is sent what it wrote.
   */
  public static boolean exceeded(TargetConfig target, ChatRequest request) {
    LlmConfig.Provider provider = target.llm().map(LlmConfig::provider).orElse(null);
    boolean translated = provider != null && request.nativeBody()
        .filter(body -> !body.speaks(Providers.of(provider))).isPresent();
    OptionalInt limit = of(target);
    return translated && limit.isPresent() && request.stop().size() > limit.getAsInt();
  }

  /** A target is at OpenAI when any of its deployments is (one of them may be sent the request). */
  private static boolean atOpenAi(TargetConfig target) {
    return OpenAiHosts.hasOpenAisLimits(target.baseUrl())
        || target.deployments().stream().map(DeploymentConfig::baseUrl).anyMatch(OpenAiHosts::hasOpenAisLimits);
  }
}
