package io.reliapi.llm.embeddings;

import io.reliapi.http.Answer;
import io.vertx.core.Future;

/**
 * What an embeddings attempt produced, attached to its {@link io.reliapi.http.Reply}: the priced answer. The
 * reply's body is the same answer as an OpenAI embedding list with float vectors ({@link EmbeddingList}), the
 * form the cache and idempotency store and the route renders from when it replays.
 */
public record EmbeddingAnswer(Embeddings embeddings) implements Answer {

  @Override
  public Future<Double> cost() {
    return Future.succeededFuture(embeddings.costUsd());
  }
}
