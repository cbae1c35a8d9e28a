package io.reliapi.observe.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.reliapi.observe.CompletedRequest;
import io.reliapi.pipeline.RequestSpan;
import io.reliapi.pipeline.Trace;

/** The server span of one proxy request and the client spans of its upstream attempts. Used on its event loop. */
final class ServerSpan implements RequestSpan {
  private final Tracer tracer;
  private final Span span;
  private final Context context;
  /** The attempt spans not ended yet: usually one, two while a hedged attempt races the first. */
  private final java.util.List<AttemptSpanImpl> open = new java.util.ArrayList<>(2);

  ServerSpan(Tracer tracer, Span span) {
    this.tracer = tracer;
    this.span = span;
    this.context = Context.root().with(span);
  }

  @Override
  public String traceId() {
    return span.getSpanContext().getTraceId();
  }

  @Override
  public AttemptSpan attempt(String target, String deployment, int number, long waitMs, String retryClass,
      String breakerState, String llmSystem, String llmModel) {
    var builder = tracer.spanBuilder(llmModel != null ? "chat " + llmModel : "attempt " + target)
        .setParent(context)
        .setSpanKind(SpanKind.CLIENT)
        .setAttribute("reliapi.target", target)
        .setAttribute("reliapi.attempt", number)
        .setAttribute("reliapi.retry", Math.max(0, number - 1))
        .setAttribute("reliapi.wait_ms", waitMs);
    if (deployment != null) {
      builder.setAttribute("reliapi.deployment", deployment);
    }
    if (retryClass != null) {
      builder.setAttribute("reliapi.retry_class", retryClass);
    }
    if (breakerState != null) {
      builder.setAttribute("reliapi.breaker_state", breakerState);
    }
    if (llmModel != null) {
      builder.setAttribute("gen_ai.operation.name", "chat")
          .setAttribute("gen_ai.system", llmSystem)
          .setAttribute("gen_ai.request.model", llmModel);
    }
    // An LLM attempt's span waits for its usage after its answer; a new attempt means none will come.
    open.removeIf(AttemptSpanImpl::closeIfAnswered);
    AttemptSpanImpl started = new AttemptSpanImpl(builder.startSpan(), llmModel != null);
    open.add(started);
    return started;
  }

  /** Ends the request's span (and an attempt span still open) with what the request came to. */
  void end(CompletedRequest request) {
    open.forEach(AttemptSpanImpl::close);
    open.clear();
    Trace trace = request.trace();
    span.setAttribute("http.response.status_code", request.status())
        .setAttribute("reliapi.request_id", request.requestId())
        .setAttribute("reliapi.retries", trace.retries())
        .setAttribute("reliapi.cache_hit", trace.cacheHit())
        .setAttribute("reliapi.idempotent_hit", trace.idempotentHit());
    if (request.target() != null) {
      span.setAttribute("reliapi.target", request.target());
    }
    if (request.client() != null) {
      span.setAttribute("reliapi.client", request.client());
    }
    if (trace.fallbackTarget() != null) {
      span.setAttribute("reliapi.fallback_target", trace.fallbackTarget());
    }
    if (trace.costUsd() != null) {
      span.setAttribute("reliapi.cost_usd", trace.costUsd());
    }
    if (request.errorCode() != null) {
      span.setAttribute("error.type", request.errorCode());
    }
    if (request.status() >= 500) {
      span.setStatus(StatusCode.ERROR);
    }
    span.end();
  }
}
