package io.reliapi.pipeline;

/** Starts the tracing span of a request; {@link #OFF} when telemetry is off. */
@FunctionalInterface
public interface Tracing {
  Tracing OFF = (traceparent, route, method) -> RequestSpan.NONE;

  /**
   * Returns the span of a request that arrived with {@code traceparent} (null when it had none, or one
   * that is malformed: the request then starts a trace of its own).
   */
  RequestSpan start(String traceparent, Route route, String method);
}
