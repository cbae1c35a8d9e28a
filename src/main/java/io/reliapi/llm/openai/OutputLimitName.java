package io.reliapi.llm.openai;

import io.reliapi.config.OpenAiHosts;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The name a Chat Completions call carries its output limit under. The gateway always sends a limit (the caps
 * need one), so the name is its to choose: OpenAI's reasoning models (o1, o3, o4-mini, the GPT-5 family, codex)
 * refuse {@code max_tokens} with a 400, even when the client sent no limit at all; OpenAI's own API takes
 * {@code max_completion_tokens} for every chat model (it deprecated {@code max_tokens}); other servers keep the name
 * the client used, as some ignore or refuse {@code max_completion_tokens} (Ollama, Azure's GA API versions for models
 * that do not reason), except for a model id that reads as an OpenAI reasoning model, which refuses the other name
 * wherever it is served. A dialect that takes only {@code max_tokens} ({@code llm.max_tokens_field: max_tokens},
 * Mistral) always gets that.
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
    boolean completionTokens = clientUsedCompletionTokens || host == OpenAiHosts.Host.OPENAI || reasons(model);
    return completionTokens && dialect.acceptsMaxCompletionTokens() ? COMPLETION_TOKENS : MAX_TOKENS;
  }

  /**
   * Returns whether {@code model} reads as one of OpenAI's reasoning models. A {@code vendor/model} id is a router's
   * (OpenRouter, LiteLLM), which takes {@code max_tokens} and sends each model its own name: it is left as sent.
   */
  static boolean reasons(String model) {
    return REASONING.matcher(model.toLowerCase(Locale.ROOT)).matches();
  }
}
