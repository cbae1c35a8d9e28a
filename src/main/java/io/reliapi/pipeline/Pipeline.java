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
  private final List<String> names;

  private Pipeline(Chain head, List<String> names) {
    this.head = head;
    this.names = names;
  }

  /** Builds the pipeline; {@code stages} run in list order, {@code terminal} last. */
  public static Pipeline of(List<Stage> stages, Stage terminal) {
    Chain next = guarded(terminal, exchange -> Future.failedFuture(
        new IllegalStateException("the terminal stage must not call next")));
    for (int i = stages.size() - 1; i >= 0; i--) {
      next = guarded(stages.get(i), next);
    }
    List<String> names = stages.stream().map(s -> s.getClass().getSimpleName()).toList();
    return new Pipeline(next, names);
  }

  public Future<Reply> run(Exchange exchange) {
    return head.proceed(exchange);
  }

  /** Returns the stage names in order, for the startup line and tests. */
  public List<String> stageNames() {
    return names;
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
