package io.reliapi.pipeline;

import io.reliapi.error.ErrorCode;

/**
 * Facts gathered while one request runs, read at the end for response headers, {@code meta}, metrics and
 * the access log. Written only on the request's event loop.
 */
public final class Trace {
  private String target;
  private int retries;
  private boolean cacheHit;
  private Long ageS;
  private boolean idempotentHit;
  private String fallbackTarget;
  private Double costUsd;
  private boolean degraded;
  private boolean mayHaveTakenEffect;
  private ErrorCode errorCode;

  public Trace(String target) {
    this.target = target;
  }

  /** Returns the target that answered (or was last tried). */
  public String target() {
    return target;
  }

  public void answeredBy(String target) {
    this.target = target;
  }

  public int retries() {
    return retries;
  }

  public void addRetry() {
    retries++;
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
    this.fallbackTarget = target;
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
}
