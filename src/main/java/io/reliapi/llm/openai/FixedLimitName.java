package io.reliapi.llm.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.llm.ToolCallIdFit;

/**
 * A dialect for a server that reads the output limit under one name only ({@code llm.max_tokens_field}):
 * {@code max_tokens} ({@code completionTokens} false) where Ollama ignores {@code max_completion_tokens}, so a capped
 * call would not be capped, or older Azure OpenAI API versions refuse it; {@code max_completion_tokens} where a proxy
 * in front of OpenAI's reasoning models (Azure API Management, Cloudflare AI Gateway, Helicone) hides the host that
 * would tell, and they refuse {@code max_tokens}. Everything else is the server's own dialect.
 */
record FixedLimitName(Dialect dialect, boolean completionTokens) implements Dialect {

  @Override
  public void adaptRequest(ObjectNode body) {
    dialect.adaptRequest(body);
  }

  @Override
  public ToolCallIdFit toolCallIds() {
    return dialect.toolCallIds();
  }

  @Override
  public boolean acceptsMaxCompletionTokens() {
    return completionTokens;
  }

  @Override
  public boolean requiresMaxCompletionTokens() {
    return completionTokens;
  }

  @Override
  public boolean asksForStreamUsage() {
    return dialect.asksForStreamUsage();
  }

  @Override
  public boolean normalizeChoice(ObjectNode choice, String messageField) {
    return dialect.normalizeChoice(choice, messageField);
  }
}
