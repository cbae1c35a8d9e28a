package io.reliapi.llm.embeddings;

import io.reliapi.config.TargetConfig;
import io.reliapi.llm.Providers;

/** Which targets can serve an embeddings request: LLM targets whose provider has an endpoint that accepts it. */
public final class Embedders {
  private Embedders() {}

  public static boolean serves(TargetConfig target, EmbeddingRequest request) {
    return target.llm().flatMap(llm -> Providers.of(llm.provider()).embedder())
        .map(embedder -> embedder.accepts(request)).orElse(false);
  }

  /** Returns whether {@code target}'s provider has an embeddings endpoint at all. */
  public static boolean embeds(TargetConfig target) {
    return target.llm().flatMap(llm -> Providers.of(llm.provider()).embedder()).isPresent();
  }
}
