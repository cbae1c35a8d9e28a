package io.reliapi.policy.retry;

import io.reliapi.config.TargetConfig;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The retry budget windows of this gateway instance, one per target, shared by every event loop. Made once
 * per process so a config reload keeps a target's counts while its {@code retry_budget} is unchanged.
 * Per instance, like the breaker: N instances together allow N times the budget.
 */
public final class RetryBudgets {
  private final ConcurrentHashMap<String, RetryBudgetWindow> byTarget = new ConcurrentHashMap<>();

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
