package io.reliapi.server;

import io.reliapi.config.GatewayConfig;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.Route;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * A route whose request is a body read whole (within {@code server.max_body_bytes}, in time) and then parsed
 * into an exchange; what is left to each route is its parse and its rendering.
 */
public abstract class BodyRoute implements ProxyRoute {
  protected final GatewayConfig config;
  private final Route route;

  protected BodyRoute(GatewayConfig config, Route route) {
    this.config = config;
    this.route = route;
  }

  @Override
  public final Route route() {
    return route;
  }

  @Override
  public final Future<Exchange> exchange(Inbound in) {
    return InboundBody.read(in.request(), config.server().maxBodyBytes(), in.buffered()).map(bytes -> parse(in, bytes));
  }

  /** Parses and validates the body read; throws a {@code GatewayException} on bad input. */
  protected abstract Exchange parse(Inbound in, Buffer bytes);
}
