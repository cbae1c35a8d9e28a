package io.reliapi.pipeline;

import io.reliapi.error.GatewayException;
import io.reliapi.http.Reply;
import io.vertx.core.Future;
import java.util.List;

/**
 * An ordered list of stages ending in a terminal stage that calls the upstream. The chain guards every
 * stage: an exception it throws or a null it returns becomes a failed future, never a hung request.
 */
public final class Pipeline {
  private final Chain head;

  private Pipeline(Chain head) {
    this.head = head;
  }

  /** Builds the pipeline; {@code stages} run in list order, {@code terminal} last. */
  public static Pipeline of(List<Stage> stages, Stage terminal) {
    Chain next = guarded(terminal, exchange -> Future.failedFuture(
        new IllegalStateException("the terminal stage must not call next")));
    for (int i = stages.size() - 1; i >= 0; i--) {
      next = guarded(stages.get(i), next);
    }
    return new Pipeline(next);
  }

  public Future<Reply> run(Exchange exchange) {
    return head.proceed(exchange);
  }


  private static Chain guarded(Stage stage, Chain next) {
    return exchange -> {
      try {
        Future<Reply> reply = stage.handle(exchange, next);
        return reply != null ? reply : Future.failedFuture(GatewayException.from(null));
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    };
  }
}
