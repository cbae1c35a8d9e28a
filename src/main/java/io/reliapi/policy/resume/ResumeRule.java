package io.reliapi.policy.resume;

import io.reliapi.config.LlmConfig.Provider;
import io.reliapi.config.LlmConfig;
import io.reliapi.config.RetryMatrix.ErrorClass;
import io.reliapi.config.RetryMatrix;
import io.reliapi.error.GatewayException;
import io.reliapi.llm.ChatRequest;
import io.reliapi.policy.Outcome;
import io.reliapi.policy.ResendSafety;
import io.reliapi.policy.retry.RetryPolicy;
import java.util.Optional;

/**
 * Whether a stream may be continued after a fault past its commit point. Only where the provider can truly
 * continue an assistant message (Anthropic's prefill, Mistral's {@code prefix}); OpenAI's API takes a last
 * assistant message as a turn to reply to, so a continuation there would be a second answer glued to the first.
 * Only a fault of the provider's stream (a cut, a stall, a malformed event: {@code net}) or its error event of a
 * retryable status ({@code 429}, {@code 5xx}), each as many times as the target retries its class. Pure.
 */
final class ResumeRule {
  private ResumeRule() {}

  /** Returns whether a streamed request to {@code llm} is continued when it breaks. */
  static boolean applies(LlmConfig llm, ChatRequest request) {
    boolean continues = llm.provider() == Provider.ANTHROPIC || llm.provider() == Provider.MISTRAL;
    // A raw route's client reads the provider's own bytes, which cannot be spliced.
    return continues && llm.faults().streamResume() && request.stream() && !request.answeredAsIs();
  }

  /**
   * Returns whether a continuation after {@code fault} is within the target's retries ({@link
   * RetryPolicy#refusesAnother}, the retry stage's own reading): a continuation is a retry of the request, so the
   * attempts already made on the target (the first call, its retries before its commit point, earlier continuations)
   * count.
   */
  static boolean allows(GatewayException fault, int attemptsMade, RetryMatrix retries, ResendSafety safety) {
    return RetryPolicy.refusesAnother(retries, safety, attemptsMade, faultClass(fault), new Outcome.Failed(fault))
        .isEmpty();
  }

  /** The class of a fault after the commit point; empty for one a continuation cannot mend. */
  static Optional<ErrorClass> faultClass(GatewayException fault) {
    if (fault.streamFault()) {
      return Optional.of(ErrorClass.NETWORK);
    }
    Integer status = fault.upstreamStatus();
    if (status == null || fault.targetBlameless()) {
      return Optional.empty();
    }
    return switch (status) {
      case 429 -> Optional.of(ErrorClass.RATE_LIMITED);
      case 500, 502, 503, 504, 529 -> Optional.of(ErrorClass.SERVER_ERROR);
      default -> Optional.empty();
    };
  }
}
