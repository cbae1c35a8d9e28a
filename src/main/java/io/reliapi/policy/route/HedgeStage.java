package io.reliapi.policy.route;

import io.reliapi.config.HedgeConfig;
import io.reliapi.http.Reply;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.Cancellation;
import io.reliapi.pipeline.Chain;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.Stage;
import io.reliapi.policy.Outcome;
import io.reliapi.policy.retry.RetryBudgets;
import io.reliapi.time.Clock;
import io.reliapi.time.Scheduler;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Hedges an attempt on a target with {@code hedge} (GET and HEAD, and LLM calls that do not stream with
 * {@code hedge.llm}, none with an idempotency key, see {@link HedgePolicy}): when the first attempt has not answered after the hedge delay,
 * a second one starts, on another deployment when there is one (the deployment stage below avoids the one
 * already tried). The first answer wins and the other attempt is cancelled: its connection is reset and
 * whatever it answered is discarded. An attempt that failed, answered in a retryable class, or was refused for
 * the reasoning items another organization issued, does not win while the other runs (so a hedge refused by a
 * budget or a concurrency limit never cancels the first attempt); when both fail, the later failure is the
 * attempt's outcome (the retry stage above decides what next). A hedge spends the target's retry budget like a
 * retry, and none starts once the budget is spent.
 * The wait runs on the {@link Scheduler}; everything else on the request's event loop.
 */
public final class HedgeStage implements Stage {
  private final HedgeLatencies latencies;
  private final Clock clock;
  private final Scheduler scheduler;
  private final GatewayEvents events;
  private final RetryBudgets retryBudgets;

  public HedgeStage(HedgeLatencies latencies, Clock clock, Scheduler scheduler, GatewayEvents events,
      RetryBudgets retryBudgets) {
    this.latencies = latencies;
    this.clock = clock;
    this.scheduler = scheduler;
    this.events = events;
    this.retryBudgets = retryBudgets;
  }

  @Override
  public Future<Reply> handle(Exchange exchange, Chain next) {
    HedgeConfig hedge = exchange.target().hedge().orElse(null);
    if (hedge == null || !HedgePolicy.hedges(exchange, hedge)) {
      return next.proceed(exchange);
    }
    LatencyWindow window = latencies.of(exchange.target());
    OptionalLong delay = HedgePolicy.delayMs(hedge, window);
    long leftMs = exchange.context().msLeft(clock.nanoTime());
    Race race = new Race(exchange, next, window);
    race.start(false);
    if (delay.isPresent() && delay.getAsLong() < leftMs && !race.decided) {
      race.timer = scheduler.schedule(delay.getAsLong(), race::hedge);
    }
    return race.done.future();
  }

  /** One attempt racing its hedge. */
  private final class Race {
    final Promise<Reply> done = Promise.promise();
    final Exchange exchange;
    final Chain next;
    final LatencyWindow window;
    Branch primary;
    Branch hedged;
    Scheduler.Cancellable timer;
    /** Set once a winner is known, before the other attempt is cancelled (which ends it at once). */
    boolean decided;

    Race(Exchange exchange, Chain next, LatencyWindow window) {
      this.exchange = exchange;
      this.next = next;
      this.window = window;
    }

    void start(boolean hedge) {
      Branch branch = new Branch(exchange.context().cancellation().child(), clock.nanoTime());
      if (hedge) {
        hedged = branch;
      } else {
        primary = branch;
      }
      next.proceed(exchange.withCancellation(branch.cancellation)).onComplete(result -> ended(branch, result));
    }

    void hedge() {
      if (decided || exchange.context().cancellation().cancelled()) {
        return;
      }
      if (!retryBudgets.tryExtraAttempt(exchange.target(), clock.nanoTime())) {
        RetryBudgets.recordRefusal(exchange, exchange.attempt(), events);
        return;
      }
      start(true);
    }

    private void ended(Branch branch, AsyncResult<Reply> result) {
      branch.outcome = Outcome.of(result);
      // Only answers tell how long the target takes to answer: a fast 429 or 5xx would pull the delay down.
      if (window != null && wins(branch.outcome, exchange) && !branch.cancellation.cancelled()) {
        window.record(elapsedMs(branch));
      }
      if (decided) {
        branch.outcome.discard();
        return;
      }
      Branch other = branch == primary ? hedged : primary;
      boolean otherRuns = other != null && other.outcome == null;
      if (otherRuns && !wins(branch.outcome, exchange)) {
        return;  // a failure waits for the other attempt's answer
      }
      decided = true;
      if (timer != null) {
        timer.cancel();
      }
      if (otherRuns) {
        // The loser took at least this long: leaving it out would keep only the fast half of every hedged
        // request, and each hedge would pull the percentile, and so the next delay, further down.
        if (window != null) {
          window.record(elapsedMs(other));
        }
        other.cancellation.cancel();
      } else if (other != null) {
        other.outcome.discard();
      }
      if (hedged != null) {
        events.hedge(exchange.target().name(), branch == hedged ? "hedge_won" : "primary_won");
      }
      branch.outcome.toFuture().onComplete(done);
    }
  }

  private long elapsedMs(Branch branch) {
    return TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - branch.startNanos);
  }

  /**
   * Returns whether {@code outcome} ends the race while the other attempt still runs: an upstream answer outside
   * the retryable classes. A failure never does, whether the upstream failed or the gateway refused the attempt
   * before sending it (a spent budget, a full concurrency limit or pool, an open breaker): a hedge the gateway's own
   * limits refused must not cancel a first attempt that may still answer. Nor does a refusal of the reasoning items
   * another organization issued: the other attempt may be on that organization and answer the turn as written.
   */
  static boolean wins(Outcome outcome, Exchange exchange) {
    return outcome instanceof Outcome.Answered(Reply reply) && outcome.errorClass().isEmpty()
        && !exchange.context().reasoning().isRefusal(reply);
  }

  /** One of the racing attempts: its own cancellation, its start, its outcome once it ended. */
  private static final class Branch {
    final Cancellation cancellation;
    final long startNanos;
    Outcome outcome;

    Branch(Cancellation cancellation, long startNanos) {
      this.cancellation = cancellation;
      this.startNanos = startNanos;
    }
  }
}
