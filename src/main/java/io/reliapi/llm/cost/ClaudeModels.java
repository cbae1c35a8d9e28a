package io.reliapi.llm.cost;

import java.util.Locale;

/**
 * Whether a model id names a Claude model, which Anthropic bills by its own rules (cache writes at
 * {@link Costs#CACHE_WRITE_FACTOR} times the input price, a tool-use system prompt) wherever it is served: on an
 * Anthropic target, and behind a router on the OpenAI protocol (OpenRouter's {@code anthropic/claude-sonnet-4.5},
 * LiteLLM's {@code claude-sonnet-4-5}, Bedrock's {@code us.anthropic.claude-…}).
 */
public final class ClaudeModels {
  private ClaudeModels() {}

  /** Returns whether {@code model}, after an optional {@code vendor/} prefix, holds {@code claude-}. */
  public static boolean named(String model) {
    String name = model.substring(model.lastIndexOf('/') + 1);
    return name.toLowerCase(Locale.ROOT).contains("claude-");
  }
}
