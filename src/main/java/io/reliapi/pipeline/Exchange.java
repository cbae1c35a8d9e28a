package io.reliapi.pipeline;

import io.reliapi.config.TargetConfig;
import io.reliapi.http.HttpCall;

/**
 * The request as it flows through the pipeline: the request-wide context, the target this part of the
 * chain serves (fallback changes it), the call to make, and the attempt number on that target.
 */
public record Exchange(RequestContext context, TargetConfig target, HttpCall call, int attempt) {

  public Exchange withTarget(TargetConfig target) {
    return new Exchange(context, target, call, 0);
  }

  public Exchange withCall(HttpCall call) {
    return new Exchange(context, target, call, attempt);
  }

  public Exchange withAttempt(int attempt) {
    return new Exchange(context, target, call, attempt);
  }

  public Trace trace() {
    return context.trace();
  }
}
