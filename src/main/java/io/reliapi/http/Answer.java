package io.reliapi.http;

import io.vertx.core.Future;

/**
 * A typed reading of a reply, beyond its status, headers and body, attached by the layer that understood it
 * (the LLM layer's completion or live stream). Stages that do not understand it pass it on untouched.
 */
public interface Answer {

  /**
   * Returns what the attempt that produced this answer cost in USD, once known: at once for a whole answer,
   * when it ends for a stream; null when it has no price. Never fails.
   */
  Future<Double> cost();
}
