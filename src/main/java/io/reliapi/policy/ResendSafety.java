package io.reliapi.policy;

import io.reliapi.http.Body;
import io.reliapi.pipeline.Exchange;

/**
 * Whether a request may be sent a second time, by a retry or to a fallback target (SPEC §3.1, §3.7).
 * GET, HEAD, PUT, DELETE and OPTIONS may; POST, PATCH and other methods only with an idempotency key, on
 * an LLM target, or when the upstream provably did not act on the first one (nothing sent, or a 429).
 * A one-shot streamed body can never be sent again once it started to go out.
 */
public record ResendSafety(boolean idempotentMethod, boolean keyed, boolean llmTarget, boolean oneShotBody) {

  /** Returns the safety facts of {@code exchange} on its current target. */
  public static ResendSafety of(Exchange exchange) {
    return new ResendSafety(exchange.call().idempotentMethod(), exchange.context().idempotencyKey().isPresent(),
        exchange.target().isLlm(), exchange.call().body() instanceof Body.Stream);
  }

  /** Returns whether the request may be sent again after {@code outcome}. */
  public boolean allowsResendAfter(Outcome outcome) {
    if (oneShotBody && outcome.sentUpstream()) {
      return false;
    }
    return idempotentMethod || keyed || llmTarget || !outcome.mayHaveBeenProcessed();
  }
}
