package io.reliapi.llm.embeddings;

import java.util.List;

/**
 * What to embed, one vector per item, in order: texts, or token arrays (ids the client tokenised itself, which
 * only OpenAI-protocol servers take).
 */
public sealed interface EmbeddingInput {

  /** Returns how many vectors the answer holds. */
  int size();

  record Texts(List<String> texts) implements EmbeddingInput {
    public Texts {
      texts = List.copyOf(texts);
    }

    @Override
    public int size() {
      return texts.size();
    }
  }

  record Tokens(List<List<Integer>> tokens) implements EmbeddingInput {
    public Tokens {
      tokens = tokens.stream().map(List::copyOf).toList();
    }

    @Override
    public int size() {
      return tokens.size();
    }
  }
}
