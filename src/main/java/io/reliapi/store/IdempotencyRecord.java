package io.reliapi.store;

/** What an idempotency store knows about one key: a request holds it, or a request finished with it. */
public sealed interface IdempotencyRecord {

  /** Returns the fingerprint of the request that claimed the key. */
  String fingerprint();

  /**
   * A request holds the key and is running. {@code owner} is the token its holder completes or releases
   * with; after {@code leaseExpiresAtMillis} the holder is presumed dead, and since its request may have
   * reached the upstream, the key is then treated as having an unknown outcome. The lease end is in its
   * store's time, which only the store judges ({@link IdempotencyStore#leaseLeftMs}): wall-clock epoch
   * millis where instances share claims, this process's monotonic clock in its own memory.
   */
  record InProgress(String fingerprint, String owner, long leaseExpiresAtMillis) implements IdempotencyRecord {}

  /** The request that held the key finished with {@code outcome}. */
  record Done(String fingerprint, Outcome outcome) implements IdempotencyRecord {}
}
