package io.reliapi.upstream;

import io.reliapi.http.HttpCall;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.RequestSpan;

/** Opens an attempt's tracing span and puts its W3C {@code traceparent} on the call it makes. */
final class Traced {
  private Traced() {}

  /** Returns the call to send: the exchange's, with the attempt's {@code traceparent} when it is traced. */
  static HttpCall call(Exchange exchange) {
    if (exchange.trace().span() == RequestSpan.NONE) {
      return exchange.call();
    }
    String system = exchange.target().llm().map(l -> l.provider().name().toLowerCase(java.util.Locale.ROOT))
        .orElse(null);
    // An LLM attempt's model is the one the cost stage chose for this target.
    String model = exchange.payload().isPresent() ? exchange.trace().model() : null;
    String traceparent = exchange.trace().attemptStarted(exchange.target().name(), exchange.attempt(),
        model == null ? null : system, model);
    HttpCall call = exchange.call();
    return traceparent == null ? call : call.withHeaders(call.headers().with("traceparent", traceparent));
  }
}
