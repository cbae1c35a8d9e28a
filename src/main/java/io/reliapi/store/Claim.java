package io.reliapi.store;

/** The answer to claiming an idempotency key: the caller now holds it, or a record was already there. */
public sealed interface Claim {

  /** The key was free: the caller executes the request and must complete or release with {@code owner}. */
  record Leader(String owner) implements Claim {}

  /** The key was taken; {@code record} says by what. */
  record Existing(IdempotencyRecord record) implements Claim {}

  /**
   * The key was free, but its client holds as many records as its quota allows; the soonest of them ends
   * in {@code retryAfterMs} (at the earliest).
   */
  record OverQuota(long retryAfterMs) implements Claim {}
}
