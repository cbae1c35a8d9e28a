package io.reliapi.policy.retry;

import io.reliapi.config.RetryMatrix.RetryRule;
import java.util.function.DoubleSupplier;

/**
 * The wait before a retry, from a class's rule. Retry {@code n} (1 for the first retry) waits
 * {@code constant}: base; {@code linear}: base·n; {@code exp}: base·2^(n−1); {@code exp-jitter} ("full
 * jitter"): a uniform draw in [0, base·2^(n−1)). Every form is capped by {@code max_s}.
 */
public final class Backoff {
  private Backoff() {}

  /** Returns the delay in milliseconds before retry {@code retry}; {@code random} draws from [0, 1). */
  public static long delayMs(RetryRule rule, int retry, DoubleSupplier random) {
    double baseMs = rule.baseS() * 1000;
    double maxMs = rule.maxS() * 1000;
    double exponential = Math.min(maxMs, baseMs * Math.pow(2, Math.max(0, retry - 1)));
    double delay = switch (rule.backoff()) {
      case CONSTANT -> baseMs;
      case LINEAR -> baseMs * retry;
      case EXP -> exponential;
      case EXP_JITTER -> random.getAsDouble() * exponential;
    };
    return Math.round(Math.min(delay, maxMs));
  }
}
