package io.reliapi.llm;

import io.reliapi.http.Answer;
import io.vertx.core.Future;

/**
 * What an LLM attempt produced beyond the HTTP answer, attached to its {@link io.reliapi.http.Reply}: the
 * whole completion, or the stream that has started. Stored and replayed replies carry no answer: routes
 * render them from their bytes, which always hold an OpenAI {@code chat.completion} object (or, for a raw
 * route, the provider's own answer).
 */
public sealed interface ChatAnswer extends Answer {

  /** A whole completion, parsed and priced. */
  record Whole(Completion completion) implements ChatAnswer {
    @Override
    public Future<Double> cost() {
      return Future.succeededFuture(completion.costUsd());
    }
  }

  /** A stream that has started (the provider sent its first event); it is read once, by the route. */
  record Streaming(ChatStream stream) implements ChatAnswer {
    /** Known when the stream ends: a complete stream's cost, or a broken one's for what it streamed. */
    @Override
    public Future<Double> cost() {
      return stream.cost();
    }
  }
}
