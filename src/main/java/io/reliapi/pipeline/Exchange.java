package io.reliapi.pipeline;

import io.reliapi.config.DeploymentConfig;
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
 *
 * <p>On a target with deployments, an attempt also carries the {@code deployment} chosen for it, and every
 * attempt on the target shares the record of the deployments {@code tried} so far. Each attempt (a new
 * attempt number, a hedged branch, a fallback target) notes when its call was {@code sent}.
 */
public record Exchange(
    RequestContext context, TargetConfig target, HttpCall call, int attempt, Optional<Payload> payload,
    Optional<DeploymentConfig> deployment, TriedDeployments tried, SentAt sent) {

  public Exchange(RequestContext context, TargetConfig target, HttpCall call, int attempt, Optional<Payload> payload) {
    this(context, target, call, attempt, payload, Optional.empty(), new TriedDeployments(), new SentAt());
  }

  public Exchange(RequestContext context, TargetConfig target, HttpCall call, int attempt) {
    this(context, target, call, attempt, Optional.empty());
  }

  public Exchange withTarget(TargetConfig target) {
    return new Exchange(context, target, call, 0, payload, Optional.empty(), new TriedDeployments(), new SentAt());
  }

  public Exchange withCall(HttpCall call) {
    return new Exchange(context, target, call, attempt, payload, deployment, tried, sent);
  }

  public Exchange withAttempt(int attempt) {
    return new Exchange(context, target, call, attempt, payload, deployment, tried, new SentAt());
  }

  public Exchange withPayload(Payload payload) {
    return new Exchange(context, target, call, attempt, Optional.of(payload), deployment, tried, sent);
  }

  /** Returns the payload if it is a {@code type}. */
  public <T extends Payload> Optional<T> payload(Class<T> type) {
    return payload.filter(type::isInstance).map(type::cast);
  }

  /** Returns this attempt sent to {@code deployment} of its target. */
  public Exchange withDeployment(DeploymentConfig deployment) {
    return new Exchange(context, target, call, attempt, payload, Optional.of(deployment), tried, sent);
  }

  /** Returns this exchange with its own cancellation, e.g. for one of two hedged attempts. */
  public Exchange withCancellation(Cancellation cancellation) {
    return new Exchange(context.withCancellation(cancellation), target, call, attempt, payload, deployment, tried,
        new SentAt());
  }

  /** Returns this exchange under another idempotency key (what a provider that deduplicates is given). */
  public Exchange withIdempotencyKey(Optional<String> key) {
    return new Exchange(context.withIdempotencyKey(key), target, call, attempt, payload, deployment, tried, sent);
  }

  /** Returns the model this attempt sends: its deployment's own {@code model} where set, else {@code asked}. */
  public String modelSent(String asked) {
    return deployment.flatMap(DeploymentConfig::model).orElse(asked);
  }

  public Trace trace() {
    return context.trace();
  }
}
