package io.reliapi.policy.resume;

import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.Exchange;
import io.reliapi.policy.retry.RetryBudgets;
import io.reliapi.time.Clock;

/**
 * Counts each continuation as a retry of the request: it draws from the target's retry budget (one the budget
 * refuses is not sent, as a retry is not made), it is a retry in the request's trail and access log and in
 * {@code reliapi_retries_total}, and a continuation in {@code reliapi_llm_stream_resumes_total}.
 */
final class ResumeRetries {
  private final Clock clock;
  private final RetryBudgets budgets;
  private final GatewayEvents events;

  ResumeRetries(Clock clock, RetryBudgets budgets, GatewayEvents events) {
    this.clock = clock;
    this.budgets = budgets;
    this.events = events;
  }

  /** The time now, for the stream's time left. */
  long nanoTime() {
    return clock.nanoTime();
  }

  /**
   * Returns whether the retry budget allows attempt {@code number} of {@code exchange}'s target, a continuation
   * after a fault of {@code errorClass}, and records it as a retry if so, as a refused one if not.
   */
  boolean draw(Exchange exchange, int number, String errorClass) {
    String target = exchange.target().name();
    if (!budgets.tryExtraAttempt(exchange.target(), clock.nanoTime())) {
      RetryBudgets.recordRefusal(exchange, number, events);
      return false;
    }
    exchange.trace().addRetry(0, errorClass);
    events.retry(target, errorClass);
    events.streamResumed(target, errorClass);
    return true;
  }
}
