package io.reliapi.pipeline;

import io.reliapi.config.TargetConfig;
import io.reliapi.http.HttpCall;
import java.util.Optional;

/**
 * The request as it flows through the pipeline: the request-wide context, the target this part of the
 * chain serves (fallback changes it), the call to make, and the attempt number on that target.
 *
 * <p>A request a protocol-aware layer understood also carries its {@link Payload} (an LLM request: the
 * provider-neutral chat request). Its {@code call} is then a stand-in until that layer's attempt stage turns
 * the payload into the provider's own call: a POST to
 * {@code /chat/completions} whose body is the canonical JSON of the chat request (model, messages and
 * every parameter that changes the answer, keys sorted, {@code stream} left out), so stages that key or
 * fingerprint on method, path and body treat LLM requests correctly without knowing about them.
 */
public record Exchange(
    RequestContext context, TargetConfig target, HttpCall call, int attempt, Optional<Payload> payload) {

  public Exchange(RequestContext context, TargetConfig target, HttpCall call, int attempt) {
    this(context, target, call, attempt, Optional.empty());
  }

  public Exchange withTarget(TargetConfig target) {
    return new Exchange(context, target, call, 0, payload);
  }

  public Exchange withCall(HttpCall call) {
    return new Exchange(context, target, call, attempt, payload);
  }

  public Exchange withAttempt(int attempt) {
    return new Exchange(context, target, call, attempt, payload);
  }

  public Exchange withPayload(Payload payload) {
    return new Exchange(context, target, call, attempt, Optional.of(payload));
  }

  /** Returns the payload if it is a {@code type}. */
  public <T extends Payload> Optional<T> payload(Class<T> type) {
    return payload.filter(type::isInstance).map(type::cast);
  }

  public Trace trace() {
    return context.trace();
  }
}
