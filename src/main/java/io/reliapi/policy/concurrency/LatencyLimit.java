package io.reliapi.policy.concurrency;

import io.reliapi.error.ErrorCode;
import io.reliapi.policy.Outcome;

/**
 * How an adaptive concurrency limit follows latency: additive increase, multiplicative decrease (AIMD), with
 * the latency of the upstream as the congestion signal. After each window of answers the average latency is
 * compared with the baseline (the fastest answer of the last minutes, the upstream's latency without a
 * queue): below {@value #GROW_BELOW}× a limit that was in use grows by one; above {@value #CUT_ABOVE}× it is
 * cut in proportion (to {@code limit × 1.5 / ratio}, at most halved); in between it holds, so a limit that
 * found the upstream's knee stays there instead of probing past it again and again. Pure.
 */
public final class LatencyLimit {
  /** Latency ratios below this let a limit in use grow by one. */
  static final double GROW_BELOW = 1.2;
  /** Latency ratios above this cut the limit. */
  static final double CUT_ABOVE = 1.5;
  /** The deepest single cut: half the limit. */
  static final double MAX_CUT = 0.5;

  private LatencyLimit() {}

  /**
   * Returns the limit after a window whose average latency was {@code ratio} times the baseline.
   *
   * @param inUse whether the window saw every place taken or an attempt waiting (only then may it grow)
   */
  public static double next(double limit, double ratio, boolean inUse, int min, int max) {
    double next = limit;
    if (ratio > CUT_ABOVE) {
      next = limit * Math.max(MAX_CUT, CUT_ABOVE / ratio);
    } else if (ratio < GROW_BELOW && inUse) {
      next = limit + 1;
    }
    return Math.max(min, Math.min(max, next));
  }

  /**
   * Returns whether an attempt's duration says something about the upstream's latency: an answer (429 and 5xx
   * excepted, as they are often fast refusals that would make the upstream look quicker than it is), or the
   * target's own timeout (the upstream was at least that slow). Failures before or beside the upstream
   * (refused connections, a full pool, a hang-up, the client's own time limit) say nothing.
   */
  public static boolean isSample(Outcome outcome, boolean clientGone) {
    if (clientGone) {
      return false;
    }
    return switch (outcome) {
      case Outcome.Answered answered -> answered.reply().status() < 500 && answered.reply().status() != 429;
      case Outcome.Failed failed -> failed.code() == ErrorCode.UPSTREAM_TIMEOUT && !failed.error().targetBlameless();
    };
  }
}
