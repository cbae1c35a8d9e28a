package io.reliapi.llm.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.llm.ToolCallIdFit;

/**
 * A dialect for a server that reads the output limit only as {@code max_tokens} ({@code llm.max_tokens_field:
 * max_tokens}): Ollama ignores {@code max_completion_tokens}, so a capped call would not be capped; older Azure
 * OpenAI API versions refuse it. Everything else is the server's own dialect.
 */
record MaxTokensOnly(Dialect dialect) implements Dialect {

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
    return false;
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
