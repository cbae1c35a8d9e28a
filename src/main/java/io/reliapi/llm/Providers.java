package io.reliapi.llm;

import io.reliapi.config.LlmConfig;
import io.reliapi.config.TargetConfig;
import io.reliapi.http.Headers;
import io.reliapi.llm.anthropic.AnthropicProvider;
import io.reliapi.llm.gemini.GeminiProvider;
import io.reliapi.llm.mistral.MistralProvider;
import io.reliapi.llm.openai.OpenAiProvider;
import io.reliapi.upstream.Credentials;
import java.util.EnumMap;
import java.util.Map;

/** The registry of provider adapters, one per protocol a target's {@code llm.provider} can name. */
public final class Providers {
  private static final Map<LlmConfig.Provider, Provider> ADAPTERS = new EnumMap<>(Map.of(
      LlmConfig.Provider.OPENAI, new OpenAiProvider(),
      LlmConfig.Provider.ANTHROPIC, new AnthropicProvider(),
      LlmConfig.Provider.MISTRAL, new MistralProvider(),
      LlmConfig.Provider.GEMINI, new GeminiProvider()));

  private Providers() {}

  public static Provider of(LlmConfig.Provider provider) {
    return ADAPTERS.get(provider);
  }

  /** Returns the credential headers for a target: the adapter decides for LLM targets, its {@code auth} for others. */
  public static Headers credentials(TargetConfig target) {
    return target.llm().map(llm -> of(llm.provider()).credentials(target))
        .orElseGet(() -> Credentials.forHttpTarget(target));
  }
}
