package io.reliapi.pipeline;

import io.reliapi.http.Reply;
import io.vertx.core.Future;

/**
 * One step of the request pipeline. A stage either answers by itself (a cache hit, a replay, a rejection)
 * or calls {@code next}; retry and fallback call it more than once. Stages never block: they return a
 * future and do their waiting through timers.
 */
@FunctionalInterface
public interface Stage {
  Future<Reply> handle(Exchange exchange, Chain next);
}
