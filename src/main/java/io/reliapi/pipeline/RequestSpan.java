package io.reliapi.pipeline;

/**
 * The distributed-tracing span of one request as the request path sees it, so the path never touches a
 * tracing library. {@link #NONE} when telemetry is off: every call is then free. The span is ended by the
 * telemetry listener once the request has finished.
 */
public interface RequestSpan {
  RequestSpan NONE = new RequestSpan() {};

  /** Returns the W3C trace id (32 hex digits), or null when the request is not traced. */
  default String traceId() {
    return null;
  }

  /**
   * Opens the span of one upstream attempt, a child of this one.
   *
   * @param deployment   the deployment of the target it goes to; null for a target without deployments
   * @param waitMs       the backoff waited before the attempt
   * @param retryClass   the error class (429, 5xx, net, timeout) that made it a retry; null for a first attempt
   * @param breakerState closed, half_open, or null when the target has no breaker
   * @param llmSystem    the provider of an LLM attempt (openai, anthropic, ...), else null
   * @param llmModel     the model an LLM attempt asks for, else null
   */
  default AttemptSpan attempt(String target, String deployment, int number, long waitMs, String retryClass,
      String breakerState, String llmSystem, String llmModel) {
    return AttemptSpan.NONE;
  }

  /** The span of one upstream attempt. */
  interface AttemptSpan {
    AttemptSpan NONE = new AttemptSpan() {};

    /** Returns the W3C {@code traceparent} to send upstream with this attempt, or null. */
    default String traceparent() {
      return null;
    }

    /**
     * The attempt got its answer head ({@code status} &gt; 0) or failed ({@code result}). The span ends,
     * unless it is an LLM attempt with a 2xx answer, whose usage is still to come.
     */
    default void ended(String result, int status) {}

    /** An LLM attempt's usage is known; its span ends. {@code costUsd} is null when the model has no price. */
    default void llmUsage(String responseModel, long inputTokens, long outputTokens, Double costUsd) {}
  }
}
