package io.reliapi.pipeline;

/**
 * Where the pipeline reports a failure no stage expected (a bug) before it answers {@code INTERNAL_ERROR}:
 * the gateway's events, which log and count it. Lives here so the pipeline needs nothing above it.
 */
@FunctionalInterface
public interface UnexpectedFailures {
  /** {@code stage} is the failing stage's simple class name; never throws. */
  void report(String stage, String requestId, Throwable failure);
}
