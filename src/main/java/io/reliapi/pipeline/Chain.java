package io.reliapi.pipeline;

import io.reliapi.http.Reply;
import io.vertx.core.Future;

/** The rest of the pipeline after a stage. */
@FunctionalInterface
public interface Chain {
  Future<Reply> proceed(Exchange exchange);
}
