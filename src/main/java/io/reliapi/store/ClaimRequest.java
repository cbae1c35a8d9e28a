package io.reliapi.store;

/**
 * One attempt to claim an idempotency key. {@code token} is unique to this attempt (the request id and a
 * random part) and is kept in the claim: whoever holds the token holds the claim, so only it can renew,
 * complete or release it, and an attempt sent again (its answer was lost) recognises its own claim.
 *
 * @param maxRecords how many records the scope's client may hold at once; a claim that would create one
 *                   more is refused ({@link Claim.OverQuota})
 * @param leaseMs    how long the claim lasts unless renewed
 * @param ttlMs      how long the record is kept once finished; a claim whose lease ran out stays this long
 */
public record ClaimRequest(IdempotencyScope scope, String token, String fingerprint, long maxRecords, long leaseMs,
    long ttlMs) {}
