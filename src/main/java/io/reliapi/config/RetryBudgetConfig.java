package io.reliapi.config;

/**
 * A target's retry budget: in any sliding {@code windowS} seconds, retries may be at most {@code percent}
 * of the target's requests in that window plus {@code minPerS} × {@code windowS}, so a failing upstream
 * sees a bounded share of extra load instead of every request multiplied by its attempts.
 */
public record RetryBudgetConfig(boolean enabled, double percent, double minPerS, int windowS) {

  /** On by default: 20 % of the requests plus 3 retries a second, over 10 seconds. */
  public static RetryBudgetConfig defaults() {
    return new RetryBudgetConfig(true, 20, 3, 10);
  }
}
