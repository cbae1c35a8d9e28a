package io.reliapi.llm.embeddings;

import io.reliapi.http.HttpCall;

/**
 * One provider protocol's embeddings endpoint: the call for a neutral request and the reading of its answer.
 * Stateless and thread-safe; a provider that cannot embed has none ({@link io.reliapi.llm.Provider#embedder()}).
 */
public interface Embedder {

  /** Returns whether this endpoint can serve {@code request} (only OpenAI-protocol servers take token arrays). */
  boolean accepts(EmbeddingRequest request);

  /** Builds the call; its path is appended to the target's {@code base_url}. */
  HttpCall call(EmbeddingRequest request);

  /**
   * Reads a successful answer; its usage is null when the provider reports none. Fails with
   * UPSTREAM_INVALID_RESPONSE when the body cannot be understood, or holds another number of vectors than inputs
   * ({@code expected}).
   */
  Embeddings read(byte[] body, int expected);
}
