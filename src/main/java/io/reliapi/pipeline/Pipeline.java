package io.reliapi.pipeline;

import io.reliapi.error.GatewayException;
import io.reliapi.http.Reply;
import io.vertx.core.Future;
import java.util.List;

/**
 * An ordered list of stages ending in a terminal stage that calls the upstream. The chain guards every
 * stage: anything it throws (an {@link Error} too: jtokkit signals text it cannot encode with an
 * {@link AssertionError}), a null it returns, or a future it fails with anything but a
 * {@link GatewayException} is reported once, naming that stage, and becomes a failed future carrying
 * {@code INTERNAL_ERROR}, never a hung request. So the stages outside it only ever see gateway failures.
 */
public final class Pipeline {
  private final Chain head;

  private Pipeline(Chain head) {
    this.head = head;
  }

  /** Builds the pipeline; {@code stages} run in list order, {@code terminal} last. */
  public static Pipeline of(List<Stage> stages, Stage terminal, UnexpectedFailures failures) {
    Chain next = guarded(terminal, exchange -> Future.failedFuture(
        new IllegalStateException("the terminal stage must not call next")), failures);
    for (int i = stages.size() - 1; i >= 0; i--) {
      next = guarded(stages.get(i), next, failures);
    }
    return new Pipeline(next);
  }

  /** Builds a pipeline that reports unexpected failures nowhere: for tests of stages that do not fail. */
  public static Pipeline of(List<Stage> stages, Stage terminal) {
    return of(stages, terminal, (stage, requestId, failure) -> {});
  }

  public Future<Reply> run(Exchange exchange) {
    return head.proceed(exchange);
  }

  private static Chain guarded(Stage stage, Chain next, UnexpectedFailures failures) {
    String name = name(stage);
    Handed rest = new Handed(next);
    return exchange -> {
      Future<Reply> reply;
      try {
        reply = stage.handle(exchange, rest);
      } catch (RuntimeException | Error e) {
        return Future.failedFuture(unexpected(failures, name, exchange, e));
      }
      if (reply == null) {
        return Future.failedFuture(unexpected(failures, name, exchange, new NoReply()));
      }
      boolean handedOn = reply == rest.last;
      // Forgotten either way, so the chain never keeps a finished answer (and its body) alive.
      rest.last = null;
      if (handedOn) {
        // The stage handed on the next stage's own answer, which that stage's guard already watches.
        return reply;
      }
      if (reply.succeeded() || reply.failed() && reply.cause() instanceof GatewayException) {
        return reply;
      }
      return reply.recover(failure -> Future.failedFuture(failure instanceof GatewayException
          ? failure : unexpected(failures, name, exchange, failure)));
    };
  }

  private static GatewayException unexpected(UnexpectedFailures failures, String stage, Exchange exchange,
      Throwable failure) {
    try {
      failures.report(stage, exchange.context().requestId(), failure);
    } catch (RuntimeException ignored) {
      // Reporting must never change the answer.
    }
    return GatewayException.from(failure);
  }

  /**
   * The rest of the chain as a stage sees it, remembering the future it last returned: a stage with nothing to
   * do for a request ({@code return next.proceed(exchange)}, most stages on a plain HTTP target) hands that very
   * future back, and it needs no second guard. Without this check every pending request carried one
   * {@code recover} composition per stage (fifteen), each completed in turn when the answer came. Only identity
   * is compared, so a stale or racing value can only ever match a future this chain returned, which is guarded.
   */
  private static final class Handed implements Chain {
    private final Chain next;
    private Future<Reply> last;

    Handed(Chain next) {
      this.next = next;
    }

    @Override
    public Future<Reply> proceed(Exchange exchange) {
      Future<Reply> reply = next.proceed(exchange);
      last = reply;
      return reply;
    }
  }

  /** Returns the stage's class name as a bounded metric label (lambdas and anonymous classes have none). */
  static String name(Stage stage) {
    String simple = stage.getClass().getSimpleName();
    return simple.isEmpty() || simple.contains("$") || simple.contains("/") ? "Stage" : simple;
  }

  /** A stage returned null instead of a future: a bug in that stage, reported like one it threw. */
  static final class NoReply extends IllegalStateException {
    NoReply() {
      super("the stage returned no future");
    }
  }
}
