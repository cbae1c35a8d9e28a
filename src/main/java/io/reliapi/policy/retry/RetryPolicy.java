package io.reliapi.policy.retry;

import io.reliapi.config.RetryMatrix;
import io.reliapi.config.RetryMatrix.ErrorClass;
import io.reliapi.config.RetryMatrix.RetryRule;
import io.reliapi.policy.Outcome;
import io.reliapi.policy.ResendSafety;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.DoubleSupplier;

/**
 * Decides after each attempt whether to try the same target again and after how long (SPEC §3.1). Pure:
 * time and randomness come in as arguments.
 */
public final class RetryPolicy {
  private final DoubleSupplier random;

  /** {@code random} draws from [0, 1) for jittered backoff. */
  public RetryPolicy(DoubleSupplier random) {
    this.random = random;
  }

  /** What to do after an attempt. */
  public sealed interface Decision {}

  /** Try again after {@code delayMs}; the retry is counted under {@code errorClass}. */
  public record Retry(ErrorClass errorClass, long delayMs) implements Decision {}

  /** Hand the outcome back as it is. */
  public record Stop(Reason reason) implements Decision {}

  public enum Reason {
    /** Success, or a status or error outside the retryable classes. */
    FINAL,
    /** The class's {@code attempts} have all been made. */
    EXHAUSTED,
    /** Sending the request again could repeat its effect (method safety, one-shot body). */
    UNSAFE,
    /**
     * The upstream's {@code Retry-After}, or the wait every deployment left asked of the request, is longer than the
     * class's {@code max_s}.
     */
    RETRY_AFTER_TOO_LONG,
    /** The wait would end after the request's deadline. */
    DEADLINE
  }

  /**
   * Decides after attempt number {@code attemptsMade} (1 for the first) ended in {@code outcome}.
   *
   * @param msLeft         milliseconds left until the request's deadline
   * @param nowEpochMillis wall-clock time, to read an HTTP-date {@code Retry-After}
   */
  public Decision decide(RetryMatrix matrix, ResendSafety safety, int attemptsMade, Outcome outcome, long msLeft,
      long nowEpochMillis) {
    return decide(matrix, safety, attemptsMade, outcome, msLeft, nowEpochMillis, 0);
  }

  /**
   * As {@link #decide(RetryMatrix, ResendSafety, int, Outcome, long, long)}, on a target that can take no attempt of
   * this request before {@code backEpochMillis} (0: now), since every deployment left asked it to wait: that wait
   * counts as the answer's {@code Retry-After} when longer, so beyond {@code max_s} the request ends with this outcome
   * (which a fallback may follow) instead of a retry that would go nowhere.
   */
  public Decision decide(RetryMatrix matrix, ResendSafety safety, int attemptsMade, Outcome outcome, long msLeft,
      long nowEpochMillis, long backEpochMillis) {
    Optional<Reason> refused = refusesAnother(matrix, safety, attemptsMade, outcome);
    if (refused.isPresent()) {
      return new Stop(refused.get());
    }
    var errorClass = outcome.errorClass();
    RetryRule rule = matrix.rule(errorClass.get());
    long delay;
    OptionalLong asked = retryAfter(outcome, nowEpochMillis);
    long back = backEpochMillis - nowEpochMillis;
    if (back > 0 && (asked.isEmpty() || asked.getAsLong() < back)) {
      asked = OptionalLong.of(back);
    }
    if (asked.isPresent()) {
      if (asked.getAsLong() > Math.round(rule.maxS() * 1000)) {
        return new Stop(Reason.RETRY_AFTER_TOO_LONG);
      }
      delay = asked.getAsLong();
    } else {
      delay = Backoff.delayMs(rule, attemptsMade, random);
    }
    if (delay >= msLeft) {
      return new Stop(Reason.DEADLINE);
    }
    return new Retry(errorClass.get(), delay);
  }

  /**
   * Returns why no attempt may follow attempt number {@code attemptsMade} that ended in {@code outcome}, whatever the
   * wait: {@link Reason#FINAL}, {@link Reason#EXHAUSTED} or {@link Reason#UNSAFE}; empty when the retry matrix and the
   * request's resend safety allow one. The one reading of the matrix: {@link #decide} asks it, and so do the overload
   * move of a pooled target (a retry without the wait) and a stream's continuation (a retry of the request).
   */
  public static Optional<Reason> refusesAnother(RetryMatrix matrix, ResendSafety safety, int attemptsMade,
      Outcome outcome) {
    return refusesAnother(matrix, safety, attemptsMade, outcome.errorClass(), outcome);
  }

  /**
   * As {@link #refusesAnother(RetryMatrix, ResendSafety, int, Outcome)}, for an outcome its reader sorted into
   * {@code errorClass} itself (empty: final): a fault after a stream's commit point.
   */
  public static Optional<Reason> refusesAnother(RetryMatrix matrix, ResendSafety safety, int attemptsMade,
      Optional<ErrorClass> errorClass, Outcome outcome) {
    if (errorClass.isEmpty()) {
      return Optional.of(Reason.FINAL);
    }
    if (attemptsMade >= matrix.rule(errorClass.get()).attempts()) {
      return Optional.of(Reason.EXHAUSTED);
    }
    return safety.allowsResendAfter(outcome) ? Optional.empty() : Optional.of(Reason.UNSAFE);
  }

  /**
   * Returns the wait a 429 or 503 asks for in its {@code Retry-After}, if it names one; also a 529, Anthropic's own
   * 503 (overloaded), as it answers it and as the gateway relays its {@code overloaded_error} events.
   */
  static OptionalLong retryAfter(Outcome outcome, long nowEpochMillis) {
    if (outcome instanceof Outcome.Answered(var reply)
        && (reply.status() == 429 || reply.status() == 503 || reply.status() == 529)) {
      return RetryAfter.delayMs(reply.headers().get("Retry-After"), nowEpochMillis);
    }
    return OptionalLong.empty();
  }
}
