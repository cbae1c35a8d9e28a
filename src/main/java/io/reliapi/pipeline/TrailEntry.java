package io.reliapi.pipeline;

import io.reliapi.http.PlainDecimal;

/**
 * One decision taken while a request ran, for operators: which attempt went where and how it ended, what
 * the cache and idempotency did, what the budgets reserved and settled, where fallback moved. Each entry
 * has a short text form for the access log.
 */
public sealed interface TrailEntry {

  /** Returns the entry as a short text, e.g. {@code attempt api#2 wait=250ms 503 12ms}. */
  String text();

  /**
   * One upstream attempt.
   *
   * @param deployment the deployment of the target that served it; null while targets have none
   * @param waitMs     the backoff waited before it (0 for the first attempt)
   * @param result     success, http_4xx, http_5xx, net, timeout, too_large or cancelled
   * @param status     the upstream's status, 0 when it did not answer
   */
  record Attempt(String target, String deployment, int number, long waitMs, String result, int status,
      long durationMs) implements TrailEntry {
    @Override
    public String text() {
      return "attempt " + target + (deployment == null ? "" : "/" + deployment) + "#" + number
          + (waitMs > 0 ? " wait=" + waitMs + "ms" : "") + " " + (status > 0 ? String.valueOf(status) : result)
          + " " + durationMs + "ms";
    }
  }

  /** The target's breaker refused an attempt without calling the upstream. */
  record CircuitOpen(String target) implements TrailEntry {
    @Override
    public String text() {
      return "circuit_open " + target;
    }
  }

  /** A cache decision: hit, coalesced (shared an identical request's answer), miss or bypass. */
  record Cache(String target, String decision) implements TrailEntry {
    @Override
    public String text() {
      return "cache " + decision;
    }
  }

  /** An idempotency decision: lead (executes), wait (an identical request runs) or replay. */
  record Idempotency(String decision) implements TrailEntry {
    @Override
    public String text() {
      return "idempotency " + decision;
    }
  }

  /** A period-budget step of one attempt: reserved, settled, released or exhausted, with its amount. */
  record Budget(String target, String step, double usd) implements TrailEntry {
    @Override
    public String text() {
      return "budget " + step + " " + PlainDecimal.of(usd);
    }
  }

  /** The request left {@code from} for the next target of its fallback chain. */
  record Fallback(String from, String to) implements TrailEntry {
    @Override
    public String text() {
      return "fallback " + from + "->" + to;
    }
  }

  /** The target's retry budget refused retry number {@code attempt}; the last outcome stands. */
  record RetryBudgetExhausted(String target, int attempt) implements TrailEntry {
    @Override
    public String text() {
      return "retry_budget_exhausted " + target + "#" + attempt;
    }
  }

  /** An attempt waited {@code waitMs} in the target's concurrency queue before it was let through. */
  record Queued(String target, String priority, long waitMs) implements TrailEntry {
    @Override
    public String text() {
      return "queued " + target + " " + priority + " " + waitMs + "ms";
    }
  }

  /**
   * The target's concurrency limit shed an attempt, after {@code waitMs} in its queue: {@code reason} is
   * queue_full, displaced (an interactive attempt took its place), queue_timeout or deadline.
   */
  record Shed(String target, String priority, String reason, long waitMs) implements TrailEntry {
    @Override
    public String text() {
      return "shed " + target + " " + priority + " " + reason + (waitMs > 0 ? " after " + waitMs + "ms" : "");
    }
  }

  /**
   * A step of an LLM attempt's request and token limits: reserved, settled or released, with its tokens; or
   * refused, with the limit that refused it ({@code client rpm}, {@code target tpm}, …) in {@code refusedBy}.
   */
  record LlmLimit(String target, String step, long tokens, String refusedBy) implements TrailEntry {
    @Override
    public String text() {
      return "llm_limit " + step + " " + (refusedBy != null ? refusedBy : tokens + " tokens");
    }
  }

  /**
   * The provider's stream broke off ({@code error} is the fault's code: {@code NETWORK_ERROR} for a cut,
   * {@code UPSTREAM_TIMEOUT} for a stall or a time limit, {@code UPSTREAM_INVALID_RESPONSE} for a malformed event,
   * {@code SHUTTING_DOWN} for the end of a drain) after its finish
   * reason: the answer was whole and ended so, what was missing of it (its usage, its end marker) counted.
   */
  record StreamCutAfterFinish(String target, String error) implements TrailEntry {
    @Override
    public String text() {
      return "stream_cut_after_finish " + target + " " + error;
    }
  }

  /**
   * A stream broken after its commit point by a fault of {@code errorClass}, continued for the {@code number}th
   * time ({@code llm.stream_resume}).
   */
  record StreamResumed(String target, int number, String errorClass) implements TrailEntry {
    @Override
    public String text() {
      return "stream_resumed " + target + "#" + number + " " + errorClass;
    }
  }
}
