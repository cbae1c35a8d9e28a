package io.reliapi.observe.telemetry;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.List;

/** Reads a caller's {@code traceparent} and writes an attempt's, one header value at a time. */
final class TraceHeaders {
  static final String TRACEPARENT = "traceparent";

  /** Carrier: the caller's {@code traceparent} value (only that header is read: trace state is not kept). */
  static final TextMapGetter<String> GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(String carrier) {
      return List.of(TRACEPARENT);
    }

    @Override
    public String get(String carrier, String key) {
      return TRACEPARENT.equals(key) ? carrier : null;
    }
  };

  /** Carrier: a one-element array that receives the {@code traceparent} value. */
  static final TextMapSetter<String[]> SETTER = (carrier, key, value) -> {
    if (carrier != null && TRACEPARENT.equals(key)) {
      carrier[0] = value;
    }
  };

  private TraceHeaders() {}
}
