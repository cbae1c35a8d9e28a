package io.reliapi.policy.retry;

import io.reliapi.config.RetryBudgetConfig;

/**
 * Whether a target's retry budget allows one more retry: in its window, retries may be at most
 * {@code percent} of the target's requests plus {@code min_per_s} × {@code window_s}. The reserve lets a
 * quiet target retry at all; the percentage bounds the extra load a failing upstream gets from retries to
 * a fixed share of its traffic, however many attempts the retry matrix allows. Pure.
 */
public final class RetryBudget {
  private RetryBudget() {}

  /** Returns whether one more retry fits, with {@code retries} and {@code requests} already in the window. */
  public static boolean allows(long retries, long requests, RetryBudgetConfig budget) {
    if (!budget.enabled()) {
      return true;
    }
    double allowed = budget.percent() / 100 * requests + budget.minPerS() * budget.windowS();
    return retries + 1 <= allowed + 1e-9;
  }
}
