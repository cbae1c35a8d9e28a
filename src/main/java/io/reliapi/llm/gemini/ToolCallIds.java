package io.reliapi.llm.gemini;

import java.util.Optional;

/**
 * Tool-call ids for Gemini's function calls, which carry no id of their own but may carry a thought signature
 * that Gemini 3 requires back with the call in the next turn. As LiteLLM does, the signature travels inside the
 * id the client sees ({@code call_…__thought__<signature>}): OpenAI and Anthropic clients echo ids verbatim, so
 * it comes back with the call's history.
 */
final class ToolCallIds {
  static final String SEPARATOR = "__thought__";

  private ToolCallIds() {}

  /** Returns the id of a call: {@code base}, with the call's thought signature after the separator if it has one. */
  static String id(String base, String signature) {
    return signature == null || signature.isEmpty() ? base : base + SEPARATOR + signature;
  }

  /** Returns the thought signature an id carries, if any. */
  static Optional<String> signature(String id) {
    int at = id.indexOf(SEPARATOR);
    return at < 0 || at + SEPARATOR.length() == id.length() ? Optional.empty()
        : Optional.of(id.substring(at + SEPARATOR.length()));
  }
}
