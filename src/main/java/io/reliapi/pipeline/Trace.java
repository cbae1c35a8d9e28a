package io.reliapi.pipeline;

import io.reliapi.error.ErrorCode;

/**
 * Facts gathered while one request runs, read at the end for response headers, {@code meta}, metrics and
 * the access log, with the {@link Trail} of its decisions and its tracing {@link RequestSpan}. Written only
 * on the request's event loop.
 */
public final class Trace {
  private final RequestSpan span;
  private Trail trail;
  private RequestSpan.AttemptSpan attemptSpan = RequestSpan.AttemptSpan.NONE;
  /** The backoff waited before the next attempt, and the breaker state it was let through in. */
  private long waitBeforeAttemptMs;
  private String retryClass;
  private String breakerState;
  private String target;
  private String deployment;
  private int retries;
  private boolean cacheHit;
  private Long ageS;
  private boolean idempotentHit;
  private String fallbackTarget;
  private String fallbackReason;
  private Double costUsd;
  private boolean degraded;
  private boolean mayHaveTakenEffect;
  private ErrorCode errorCode;
  private String model;
  private Double costEstimateUsd;
  private String costPolicyApplied;
  private boolean maxTokensReduced;
  private Integer originalMaxTokens;

  public Trace(String target) {
    this(target, RequestSpan.NONE);
  }

  public Trace(String target, RequestSpan span) {
    this.target = target;
    this.span = span;
  }

  /** Returns the request's tracing span; {@link RequestSpan#NONE} when telemetry is off. */
  public RequestSpan span() {
    return span;
  }

  /** Returns the request's trail of decisions. */
  public Trail trail() {
    return trail == null ? Trail.EMPTY : trail;
  }

  /** Adds a decision to the trail; the trail is made on the first one. */
  public void note(TrailEntry entry) {
    if (trail == null) {
      trail = new Trail();
    }
    trail.add(entry);
  }

  /**
   * An upstream attempt is about to be sent to {@code deployment} of {@code target} (null for a target without
   * deployments); returns its span, whose {@code traceparent} goes with it. {@code llmSystem} and
   * {@code llmModel} are null for plain HTTP attempts.
   */
  public RequestSpan.AttemptSpan attemptStarted(String target, String deployment, int number, String llmSystem,
      String llmModel) {
    return span.attempt(target, deployment, number, waitBeforeAttemptMs, retryClass, breakerState, llmSystem,
        llmModel);
  }

  /**
   * The attempt of {@code attemptSpan} ended: {@code result} as the attempts metric names it, {@code status} 0
   * without an answer. Two attempts may be in flight at once (a hedge), so each ends its own span.
   */
  public void attemptEnded(RequestSpan.AttemptSpan attemptSpan, String target, String deployment, int number,
      String result, int status, long durationNanos) {
    note(new TrailEntry.Attempt(target, deployment, number, waitBeforeAttemptMs, result, status,
        java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(durationNanos)));
    waitBeforeAttemptMs = 0;
    retryClass = null;
    breakerState = null;
    this.attemptSpan = attemptSpan;
    attemptSpan.ended(result, status);
  }

  /** The last LLM attempt's usage is known; {@code costUsd} null when unpriced. */
  public void llmUsage(String responseModel, long inputTokens, long outputTokens, Double costUsd) {
    attemptSpan.llmUsage(responseModel, inputTokens, outputTokens, costUsd);
  }

  /** The target's breaker let the next attempt through in {@code state}, or refused it (open). */
  public void breaker(String target, String state, boolean permitted) {
    if (permitted) {
      breakerState = state;
    } else {
      note(new TrailEntry.CircuitOpen(target));
    }
  }

  /** Returns the target that answered (or was last tried). */
  public String target() {
    return target;
  }

  /** The request is now served by {@code target}; a deployment of another target no longer answers for it. */
  public void answeredBy(String target) {
    if (!java.util.Objects.equals(target, this.target)) {
      deployment = null;
    }
    this.target = target;
  }

  /** Returns the deployment of the target that answered (or was last tried), or null for a target without any. */
  public String deployment() {
    return deployment;
  }

  public void deployment(String deployment) {
    this.deployment = deployment;
  }

  public int retries() {
    return retries;
  }

  /** A retry starts after waiting {@code waitMs}, because the last attempt failed in {@code errorClass}. */
  public void addRetry(long waitMs, String errorClass) {
    retries++;
    waitBeforeAttemptMs = waitMs;
    retryClass = errorClass;
  }

  public boolean cacheHit() {
    return cacheHit;
  }

  public void cacheHit(boolean hit) {
    this.cacheHit = hit;
  }

  /** Returns the age in seconds of a reply served from the cache, or null when it is fresh. */
  public Long ageS() {
    return ageS;
  }

  public void ageS(Long ageS) {
    this.ageS = ageS;
  }

  public boolean idempotentHit() {
    return idempotentHit;
  }

  public void idempotentHit(boolean hit) {
    this.idempotentHit = hit;
  }

  public boolean fallbackUsed() {
    return fallbackTarget != null;
  }

  /** Returns the fallback target that answered, or null when the primary did. */
  public String fallbackTarget() {
    return fallbackTarget;
  }

  public void fallbackTarget(String target) {
    note(new TrailEntry.Fallback(this.target, target));
    this.fallbackTarget = target;
  }

  /**
   * Returns why the request last moved on to a fallback target ({@code 5xx}, {@code context_length}, …), or null
   * when it did not.
   */
  public String fallbackReason() {
    return fallbackReason;
  }

  public void fallbackReason(String reason) {
    this.fallbackReason = reason;
  }

  public Double costUsd() {
    return costUsd;
  }

  public void costUsd(Double cost) {
    this.costUsd = cost;
  }

  /** Returns whether a guarantee ran on local state because the shared store was unavailable. */
  public boolean degraded() {
    return degraded;
  }

  public void degraded(boolean degraded) {
    this.degraded = degraded;
  }

  /**
   * Returns whether some attempt of this request may have acted upstream: it was answered with anything
   * but "not processed" (408, 425, 429), or it failed after the request was sent.
   */
  public boolean mayHaveTakenEffect() {
    return mayHaveTakenEffect;
  }

  public void attemptMayHaveTakenEffect() {
    this.mayHaveTakenEffect = true;
  }

  /** Returns the gateway error the request ended with, or null. */
  public ErrorCode errorCode() {
    return errorCode;
  }

  public void errorCode(ErrorCode code) {
    this.errorCode = code;
  }

  /** Adds the actual cost of one LLM attempt to the request's cost. */
  public void addCost(double usd) {
    this.costUsd = costUsd == null ? usd : costUsd + usd;
  }

  /** Returns the model of the LLM target that answered (or was last tried), or null. */
  public String model() {
    return model;
  }

  public void model(String model) {
    this.model = model;
  }

  /** Returns the pre-call cost estimate for the last LLM target tried, or null when it had no price. */
  public Double costEstimateUsd() {
    return costEstimateUsd;
  }

  public void costEstimateUsd(Double estimate) {
    this.costEstimateUsd = estimate;
  }

  /** Returns {@code none}, {@code soft_cap_throttled} or {@code hard_cap_rejected}; null before caps ran. */
  public String costPolicyApplied() {
    return costPolicyApplied;
  }

  /** Records what the cost caps did for the last LLM target tried. */
  public void costPolicy(String applied, boolean maxTokensReduced, Integer originalMaxTokens) {
    this.costPolicyApplied = applied;
    this.maxTokensReduced = maxTokensReduced;
    this.originalMaxTokens = originalMaxTokens;
  }

  public boolean maxTokensReduced() {
    return maxTokensReduced;
  }

  /** Returns the {@code max_tokens} asked for before a soft cap lowered it, or null. */
  public Integer originalMaxTokens() {
    return originalMaxTokens;
  }
}
