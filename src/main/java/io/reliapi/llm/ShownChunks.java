package io.reliapi.llm;

/**
 * A {@link ChatStream}'s chunks as its client is shown them: the client asked in one protocol (without saying, in
 * OpenAI's Chat Completions), and the protocol items of any other become their text as they leave the decoder
 * ({@link ProtocolItems#shownIn}). Remembers what a continuation of the stream needs to know of them: the first chunk
 * shown, and whether an item was shown as its text. Used on the stream's event loop.
 */
final class ShownChunks {
  private WireProtocol asked = WireProtocol.OPENAI_CHAT;
  /**
   * Whether an item of another protocol came (its client read its text alone): the answer rests on it (a search's
   * results), which a continuation's prefill could not carry, so the stream is not continued.
   */
  private boolean itemsShownAsText;
  private ChatChunk first;

  void askedIn(WireProtocol protocol) {
    asked = protocol;
  }

  /** Returns {@code decoded} as the client is shown it; null when nothing of it is left to show. */
  ChatChunk show(ChatChunk decoded) {
    ChatChunk chunk = ProtocolItems.shownIn(asked, decoded);
    itemsShownAsText |= chunk != decoded;
    if (chunk != null && first == null) {
      first = chunk;
    }
    return chunk;
  }

  boolean itemsShownAsText() {
    return itemsShownAsText;
  }

  /** Returns the first chunk shown; null before one. */
  ChatChunk first() {
    return first;
  }
}
