package io.reliapi.llm.openai;

import io.reliapi.config.OpenAiHosts;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The name a Chat Completions call carries its output limit under. The gateway always sends a limit (the caps
 * need one), so the name is its to choose: OpenAI's own API takes {@code max_completion_tokens} for every chat
 * model (it deprecated {@code max_tokens}, and its reasoning models refuse that with a 400, even when the client
 * sent no limit at all); Azure OpenAI's reasoning deployments refuse {@code max_tokens} too, while its GA API
 * versions refuse the other name for models that do not reason; every other server gets the name the client used
 * ({@code max_tokens} when it sent none): Ollama, LM Studio and llama-server ignore {@code max_completion_tokens},
 * so a local model aliased {@code gpt-5} or {@code o3-mini} would lose its cap. A dialect that takes only
 * {@code max_tokens} ({@code llm.max_tokens_field: max_tokens}, Mistral) always gets that, and one set to {@code
 * max_completion_tokens} (a proxy in front of OpenAI's reasoning models, whose host tells nothing) always gets that.
 */
final class OutputLimitName {
  static final String COMPLETION_TOKENS = "max_completion_tokens";
  static final String MAX_TOKENS = "max_tokens";
  /**
   * {@code o1}, {@code o3-mini}, {@code o4-mini-2025-04-16}, {@code gpt-5}, {@code gpt-5.1-codex}, {@code
   * codex-mini-latest}, and fine-tunes of them ({@code ft:o4-mini-…:org::id}).
   */
  private static final Pattern REASONING = Pattern.compile("(?:ft:)?(?:o\\d+|gpt-5|codex)(?:[-.:].*)?");

  private OutputLimitName() {}

  /**
   * Returns the field name for a call to {@code model} at {@code host}; {@code clientUsedCompletionTokens}: whether
   * the client named its limit {@code max_completion_tokens}.
   */
  static String of(Dialect dialect, OpenAiHosts.Host host, String model, boolean clientUsedCompletionTokens) {
    if (dialect.requiresMaxCompletionTokens()) {
      return COMPLETION_TOKENS;
    }
    boolean completionTokens = switch (host) {
      case OPENAI -> true;
      case AZURE -> clientUsedCompletionTokens || reasons(model);
      case OTHER -> clientUsedCompletionTokens;
    };
    return completionTokens && dialect.acceptsMaxCompletionTokens() ? COMPLETION_TOKENS : MAX_TOKENS;
  }

  /**
   * Returns whether {@code model} (an Azure deployment's model) reads as one of OpenAI's reasoning models. A {@code
   * vendor/model} id is a router's (OpenRouter, LiteLLM), not one of them.
   */
  static boolean reasons(String model) {
    return REASONING.matcher(model.toLowerCase(Locale.ROOT)).matches();
  }
}
