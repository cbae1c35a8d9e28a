package io.reliapi.llm;

/**
 * The wire protocols of LLM APIs that the gateway speaks on both sides: a client may write a request in one,
 * and a provider adapter speaks one. When a client's protocol is the answering provider's, the client's own
 * body is sent (with only the fields the gateway owns set) instead of a translation.
 */
public enum WireProtocol {
  /** OpenAI's Chat Completions ({@code /chat/completions}), and the many servers copying it. */
  OPENAI_CHAT,
  /** Anthropic's Messages API ({@code /messages}). */
  ANTHROPIC_MESSAGES,
  /** Google's Gemini API ({@code models/{model}:generateContent}). */
  GEMINI_GENERATE_CONTENT,
  /** OpenAI's Responses API ({@code /responses}), served by OpenAI targets beside Chat Completions. */
  OPENAI_RESPONSES;

  /**
   * Returns whether a client of this protocol is shown an answer's reasoning text (its {@link ChatChunk.Reasoning}
   * parts): every one but the Responses API's, whose clients get reasoning only as the items a Responses target
   * gives whole (protocol items, which a stored completion keeps).
   */
  public boolean showsReasoningText() {
    return this != OPENAI_RESPONSES;
  }
}
