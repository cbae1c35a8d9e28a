package io.reliapi.policy.fallback;

import io.reliapi.config.LlmFaultRules;
import io.reliapi.error.ErrorCode;
import io.reliapi.llm.ProviderRefusal;
import io.reliapi.policy.Outcome;
import io.reliapi.policy.ResendSafety;
import java.util.Locale;

/**
 * Decides whether a target's final outcome (after its retries) sends the request on to the next target of
 * the chain (SPEC §3.7). Pure.
 */
public final class FallbackPolicy {
  private FallbackPolicy() {}

  public enum Decision {
    /** Try the next target. */
    NEXT,
    /** The outcome is an answer to keep: success, or a status or error that is not a trigger. */
    NOT_TRIGGERED,
    /** The upstream may have acted on a request that must not be repeated. */
    UNSAFE,
    /** No target left, no time left, or no client left. */
    END
  }

  /**
   * Decides after the target the request was sent to ended in {@code outcome}.
   *
   * @param safety  the resend facts of the request on the target that just failed
   * @param msLeft  milliseconds left until the request's deadline
   */
  public static Decision decide(Outcome outcome, ResendSafety safety, boolean hasNext, long msLeft,
      boolean clientGone) {
    if (!triggers(outcome)) {
      return Decision.NOT_TRIGGERED;
    }
    if (!hasNext || msLeft <= 0 || clientGone) {
      return Decision.END;
    }
    return safety.allowsResendAfter(outcome) ? Decision.NEXT : Decision.UNSAFE;
  }

  /** Where a provider's refusal of the request itself sends it (issue 13). */
  public enum Refused {
    /** The refusal is the answer: the client gets the provider's error. */
    ANSWER,
    /** Too long for this model: on to the target's {@code llm.context_fallback}. */
    CONTEXT_FALLBACK,
    /** A content-policy refusal on a target with {@code llm.fallback_on_content_filter}: on to the next target. */
    NEXT
  }

  /**
   * Decides after the target that was sent the request refused it ({@code refusal}, read from its error answer)
   * under {@code rules}: never retried as it is; a request too long for the model goes to the context fallbacks
   * when there are any; a content-policy refusal falls back only when the target allows it.
   */
  public static Refused refused(ProviderRefusal refusal, LlmFaultRules rules) {
    return switch (refusal) {
      case CONTEXT_LENGTH -> rules.contextFallback().isEmpty() ? Refused.ANSWER : Refused.CONTEXT_FALLBACK;
      case CONTENT_FILTER -> rules.fallbackOnContentFilter() ? Refused.NEXT : Refused.ANSWER;
    };
  }

  /**
   * Returns why {@code outcome} sends a request on to a fallback target, as {@code meta.fallback_reason} names it:
   * the error class ({@code 5xx}, {@code 429}, {@code net}, {@code timeout}) or the gateway's code
   * ({@code circuit_open}, {@code budget_exhausted}, …).
   */
  public static String reason(Outcome outcome) {
    if (outcome.errorClass().isPresent()) {
      return outcome.errorClass().get().label();
    }
    return outcome instanceof Outcome.Failed failed ? failed.code().name().toLowerCase(Locale.ROOT) : "other";
  }

  /**
   * Returns whether {@code outcome} is a fallback trigger: a retryable class, an open breaker, a spent budget,
   * every deployment cooling down after a 429, or a target's own request or token limit (another target may have
   * room; a client's limit holds everywhere).
   */
  static boolean triggers(Outcome outcome) {
    if (outcome.errorClass().isPresent()) {
      return true;
    }
    return outcome instanceof Outcome.Failed failed
        && (failed.code() == ErrorCode.CIRCUIT_OPEN || failed.code() == ErrorCode.BUDGET_EXHAUSTED
            || failed.code() == ErrorCode.UPSTREAM_RATE_LIMITED
            || failed.code() == ErrorCode.RATE_LIMITED && "target".equals(failed.error().details().get("limit")));
  }
}
