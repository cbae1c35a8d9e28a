package io.reliapi.policy.access;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Reply;
import io.reliapi.pipeline.Chain;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.Stage;
import io.vertx.core.Future;

/**
 * Lets an authenticated caller through only to the targets its client entry allows. Who the caller is
 * was settled at ingress, before the body was read, so unauthenticated requests cost nothing.
 */
public final class AccessStage implements Stage {

  @Override
  public Future<Reply> handle(Exchange exchange, Chain next) {
    if (!exchange.context().caller().allows(exchange.target().name())) {
      return Future.failedFuture(GatewayException.of(ErrorCode.FORBIDDEN, "This key may not use this target."));
    }
    return next.proceed(exchange);
  }
}
