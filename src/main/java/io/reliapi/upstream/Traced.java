package io.reliapi.upstream;

import io.reliapi.config.DeploymentConfig;
import io.reliapi.http.HttpCall;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.RequestSpan;

/** Opens an attempt's tracing span and puts its W3C {@code traceparent} on the call it makes. */
final class Traced {
  private Traced() {}

  /** The call to send, and the span of its attempt ({@link RequestSpan.AttemptSpan#NONE} when not traced). */
  record Call(HttpCall call, RequestSpan.AttemptSpan span) {}

  /** Returns the call to send: the exchange's, with the attempt's {@code traceparent} when it is traced. */
  static Call call(Exchange exchange) {
    if (exchange.trace().span() == RequestSpan.NONE) {
      return new Call(exchange.call(), RequestSpan.AttemptSpan.NONE);
    }
    String system = exchange.target().llm().map(l -> l.provider().name().toLowerCase(java.util.Locale.ROOT))
        .orElse(null);
    // An LLM attempt's model is the one the cost stage chose for this target.
    String model = exchange.payload().isPresent() ? exchange.trace().model() : null;
    RequestSpan.AttemptSpan span = exchange.trace().attemptStarted(exchange.target().name(),
        exchange.deployment().map(DeploymentConfig::name).orElse(null), exchange.attempt(),
        model == null ? null : system, model);
    String traceparent = span.traceparent();
    HttpCall call = exchange.call();
    return new Call(traceparent == null ? call : call.withHeaders(call.headers().with("traceparent", traceparent)),
        span);
  }
}
