package io.reliapi.llm.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reliapi.llm.ToolCallIdFit;

/**
 * Where an OpenAI-protocol server departs from OpenAI's own API. The OpenAI adapter uses the neutral dialect;
 * others (Mistral) adjust the request and normalise answers and chunks back to OpenAI's words.
 */
public interface Dialect {

  /** Adjusts the OpenAI-dialect request fields (before the provider-native {@code extra} is merged). */
  default void adaptRequest(ObjectNode body) {}

  /** Returns the tool-call ids the server accepts: any, as written, unless the server says otherwise (Mistral). */
  default ToolCallIdFit toolCallIds() {
    return ToolCallIdFit.AS_WRITTEN;
  }

  /** Returns whether the server accepts {@code max_completion_tokens} (else {@code max_tokens} is always sent). */
  default boolean acceptsMaxCompletionTokens() {
    return true;
  }

  /** Returns whether the server takes only {@code max_completion_tokens}, whatever its host and the model. */
  default boolean requiresMaxCompletionTokens() {
    return false;
  }

  /** Returns whether to ask for the usage chunk with {@code stream_options.include_usage}. */
  default boolean asksForStreamUsage() {
    return true;
  }

  /**
   * Normalises one choice's {@code message} (answers) or {@code delta} (chunks) and the choice's finish
   * reason in place; returns whether anything changed.
   */
  default boolean normalizeChoice(ObjectNode choice, String messageField) {
    return false;
  }
}
