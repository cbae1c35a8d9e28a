package io.reliapi.observe.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.reliapi.pipeline.RequestSpan;

/**
 * The client span of one upstream attempt. An LLM attempt answered with 2xx stays open until its usage is
 * known (the end of a stream, say), so the span covers the whole generation and carries the GenAI usage.
 */
final class AttemptSpanImpl implements RequestSpan.AttemptSpan {
  private final Span span;
  private final boolean llm;
  private boolean answered;
  private boolean ended;

  AttemptSpanImpl(Span span, boolean llm) {
    this.span = span;
    this.llm = llm;
  }

  @Override
  public String traceparent() {
    String[] value = {null};
    W3CTraceContextPropagator.getInstance().inject(Context.root().with(span), value, TraceHeaders.SETTER);
    return value[0];
  }

  @Override
  public void ended(String result, int status) {
    answered = true;
    span.setAttribute("reliapi.result", result);
    if (status > 0) {
      span.setAttribute("http.response.status_code", status);
    } else {
      span.setAttribute("error.type", result);
    }
    if (status == 0 || status >= 500) {
      span.setStatus(StatusCode.ERROR);
    }
    if (!(llm && status >= 200 && status < 300)) {
      close();
    }
  }

  @Override
  public void llmUsage(String responseModel, long inputTokens, long outputTokens, Double costUsd) {
    if (ended) {
      return;
    }
    if (responseModel != null) {
      span.setAttribute("gen_ai.response.model", responseModel);
    }
    span.setAttribute("gen_ai.usage.input_tokens", inputTokens)
        .setAttribute("gen_ai.usage.output_tokens", outputTokens);
    if (costUsd != null) {
      span.setAttribute("reliapi.cost_usd", costUsd);
    }
    close();
  }

  /** Ends the span if its attempt ended already (it may wait for usage); returns whether it is ended. */
  boolean closeIfAnswered() {
    if (answered) {
      close();
    }
    return ended;
  }

  void close() {
    if (!ended) {
      ended = true;
      span.end();
    }
  }
}
