package io.reliapi.policy.retry;

import io.reliapi.config.TargetConfig;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.TrailEntry;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The retry budget windows of this gateway instance, one per target, shared by every event loop. Made once
 * per process so a config reload keeps a target's counts while its {@code retry_budget} is unchanged.
 * Per instance, like the breaker: N instances together allow N times the budget.
 */
public final class RetryBudgets {
  private final ConcurrentHashMap<String, RetryBudgetWindow> byTarget = new ConcurrentHashMap<>();

  /**
   * Counts an extra attempt on {@code target} beside one already running (a hedge) as a retry, if the target's
   * budget allows one more at {@code nowNanos}; returns whether it did. A hedge loads the upstream as a retry
   * does, and a slow upstream makes every request hedge: the budget bounds both together.
   */
  public boolean tryExtraAttempt(TargetConfig target, long nowNanos) {
    return of(target).tryRetry(nowNanos);
  }

  /**
   * Draws retry number {@code attempt} of the request on its target from the budget at {@code nowNanos}; returns
   * whether it may be made. Asked once per retry: the overload move of a pooled target asks first for the attempt
   * after the one that was overloaded, the retry stage after it for the same number, and a refusal is not asked
   * again, so each refusal is counted once, labelled with the attempt that was not made.
   */
  public boolean tryRetry(Exchange exchange, int attempt, long nowNanos, GatewayEvents events) {
    if (exchange.tried().budgetRefused() == attempt) {
      return false;
    }
    if (of(exchange.target()).tryRetry(nowNanos)) {
      return true;
    }
    exchange.tried().budgetRefused(attempt);
    recordRefusal(exchange, attempt, events);
    return false;
  }

  /**
   * Gives back a retry drawn at {@code drawnAtNanos} that never reached the upstream (an overload move whose
   * sibling refused it before sending), while its tenth of the window is still counted.
   */
  public void giveBack(TargetConfig target, long drawnAtNanos) {
    of(target).giveBack(drawnAtNanos);
  }

  /**
   * Records that the target's budget refused {@code attempt}, a retry or a hedge: in the request's trail and as
   * an event, so the trail and the metrics tell the same story.
   */
  public static void recordRefusal(Exchange exchange, int attempt, GatewayEvents events) {
    String target = exchange.target().name();
    exchange.trace().note(new TrailEntry.RetryBudgetExhausted(target, attempt));
    events.retryBudgetExhausted(target);
  }

  /** Returns the window of {@code target}, a new one when its {@code retry_budget} changed. */
  RetryBudgetWindow of(TargetConfig target) {
    RetryBudgetWindow window = byTarget.get(target.name());
    if (window != null && window.config().equals(target.retryBudget())) {
      return window;
    }
    return byTarget.compute(target.name(), (name, old) ->
        old != null && old.config().equals(target.retryBudget()) ? old : new RetryBudgetWindow(target.retryBudget()));
  }
}
