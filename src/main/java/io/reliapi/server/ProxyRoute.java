package io.reliapi.server;

import io.reliapi.error.GatewayException;
import io.reliapi.http.Reply;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.Pipeline;
import io.reliapi.pipeline.Route;
import io.vertx.core.Future;

/**
 * A proxy route: translates its wire format into an {@link Exchange} for the shared pipeline and renders
 * the outcome back in the same format. Every reliability feature lives in the pipeline, not here.
 */
public interface ProxyRoute {

  Route route();

  /**
   * Records in the trace the target the request names where that is known without its body ({@code /t/{target}/…});
   * called once the caller is authenticated and before its rate-limit token is taken, so a 429 names the target too.
   * Nothing on the routes whose target is in the body or chosen from the model: their 429 names none.
   */
  default void nameTarget(Inbound in) {}

  /** Reads and validates the request; fails with a {@link GatewayException} on bad input. */
  Future<Exchange> exchange(Inbound in);

  /**
   * Runs a parsed request through {@code pipeline}; a route that must look at a failure before it is answered
   * (a provider's token count that failed) wraps it.
   */
  default Future<Reply> run(Exchange exchange, Pipeline pipeline) {
    return pipeline.run(exchange);
  }

  /** Writes the answer to {@code exchange}; completes when the response is fully written. */
  Future<Void> reply(Inbound in, Exchange exchange, Reply reply);

  /** Writes a gateway failure in this route's error format. */
  Future<Void> fail(Inbound in, GatewayException error);
}
