package io.reliapi.llm.cost;

/**
 * Pre-tokenisation: how an encoding cuts a text into the pieces that byte-pair merging then works on one by
 * one (words with their leading space, runs of up to three digits, punctuation, whitespace).
 */
interface Pieces {
  /** Hands each piece of {@code text}, in order, to {@code sink} as a range of its chars. */
  void split(String text, Sink sink);

  /** Receives the pieces of a text. */
  interface Sink {
    void piece(String text, int start, int end);
  }
}
