package io.reliapi.policy.retry;

import io.reliapi.error.GatewayException;
import io.reliapi.http.Reply;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.Chain;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.ReasoningRefusal;
import io.reliapi.pipeline.RequestContext;
import io.reliapi.pipeline.Stage;
import io.reliapi.policy.Outcome;
import io.reliapi.policy.ResendSafety;
import io.reliapi.policy.retry.RetryPolicy.Retry;
import io.reliapi.time.Clock;
import io.reliapi.time.Scheduler;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * Tries one target until {@link RetryPolicy} says stop, waiting between attempts on the {@link Scheduler}.
 * Every attempt goes through the rest of the pipeline again (breaker included). A client that hangs up
 * stops it at once, pending wait included. Every request to the target counts for its retry budget, and a
 * retry the budget refuses ends the request with the last outcome, as if the attempts had run out (so a
 * fallback may still follow). A call refused for the reasoning items another organization issued
 * ({@link ReasoningRefusal}, that very reply only) is sent once more at once, without them: a retry of class
 * {@code reasoning_items} outside the policy and the budget (at most one per request, and it fixes the request
 * rather than repeating it), numbered on like any attempt, so it counts among the attempts the policy allows. Runs on the request's event loop only.
 */
public final class RetryStage implements Stage {
  private final RetryPolicy policy;
  private final Clock clock;
  private final Scheduler scheduler;
  private final GatewayEvents events;
  private final RetryBudgets budgets;

  public RetryStage(RetryPolicy policy, Clock clock, Scheduler scheduler, GatewayEvents events,
      RetryBudgets budgets) {
    this.policy = policy;
    this.clock = clock;
    this.scheduler = scheduler;
    this.events = events;
    this.budgets = budgets;
  }

  @Override
  public Future<Reply> handle(Exchange exchange, Chain next) {
    Promise<Reply> done = Promise.promise();
    // An exchange that carries attempts already made is a continuation of a stream they broke: a retry of the
    // request, whose budget was drawn where it was asked for, numbered on from them.
    int before = exchange.attempt();
    if (before == 0) {
      budgets.of(exchange.target()).request(clock.nanoTime());
    }
    new Run(exchange, next, done).attempt(before + 1);
    return done.future();
  }


  /** The attempts of one request on one target. */
  private final class Run {
    private final Exchange exchange;
    private final Chain next;
    private final Promise<Reply> done;
    private final ResendSafety safety;

    Run(Exchange exchange, Chain next, Promise<Reply> done) {
      this.exchange = exchange;
      this.next = next;
      this.done = done;
      this.safety = ResendSafety.of(exchange);
    }

    void attempt(int number) {
      exchange.tried().attempted(number);
      next.proceed(exchange.withAttempt(number)).onComplete(result -> decide(number, Outcome.of(result)));
    }

    private void decide(int attemptsMade, Outcome outcome) {
      RequestContext context = exchange.context();
      if (context.cancellation().cancelled()) {
        finish(outcome);
        return;
      }
      if (refusedReasoning(outcome)) {
        outcome.discard();
        retry(attemptsMade, ReasoningRefusal.RETRY_CLASS, 0);
        return;
      }
      long msLeft = context.msLeft(clock.nanoTime());
      var decision = policy.decide(exchange.target().retry(), safety, attemptsMade, outcome, msLeft,
          clock.epochMillis(), exchange.tried().allAskedToWaitUntil());
      if (!(decision instanceof Retry retry)) {
        finish(outcome);
        return;
      }
      if (!budgets.tryRetry(exchange, attemptsMade + 1, clock.nanoTime(), events)) {
        finish(outcome);
        return;
      }
      // A streamed answer that is not passed on holds its connection until it is let go.
      outcome.discard();
      Scheduler.Cancellable[] timer = {null};
      Runnable unlisten = context.cancellation().onCancel(() -> {
        timer[0].cancel();
        done.tryFail(GatewayException.clientGone(false));
      });
      timer[0] = scheduler.schedule(retry.delayMs(), () -> {
        unlisten.run();
        if (context.cancellation().cancelled()) {
          done.tryFail(GatewayException.clientGone(false));
          return;
        }
        retry(attemptsMade, retry.errorClass().label(), retry.delayMs());
      });
    }

    // The resend owed is taken by this outcome either way: a hedged refusal that lost to an answer is owed none.
    private boolean refusedReasoning(Outcome outcome) {
      Reply reply = outcome instanceof Outcome.Answered(var answered) ? answered : null;
      return exchange.context().reasoning().takeResend(reply);
    }

    private void retry(int attemptsMade, String errorClass, long waitedMs) {
      exchange.trace().addRetry(waitedMs, errorClass);
      events.retry(exchange.target().name(), errorClass);
      attempt(attemptsMade + 1);
    }

    private void finish(Outcome outcome) {
      outcome.toFuture().onComplete(done);
    }
  }
}
