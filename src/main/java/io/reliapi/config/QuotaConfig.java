package io.reliapi.config;

/**
 * What one client may hold in the shared stores: {@code idempotencyRecords} idempotency records at once
 * (claims in progress and finished outcomes within their TTL), and {@code cacheBytes} of cached answers.
 * Clients without a {@code quota} block, the anonymous caller of an open gateway and the
 * {@code RELIAPI_API_KEY} client get {@link #DEFAULT}.
 */
public record QuotaConfig(long idempotencyRecords, long cacheBytes) {
  public static final long DEFAULT_IDEMPOTENCY_RECORDS = 100_000;
  public static final long DEFAULT_CACHE_BYTES = 64L * 1024 * 1024;
  public static final QuotaConfig DEFAULT = new QuotaConfig(DEFAULT_IDEMPOTENCY_RECORDS, DEFAULT_CACHE_BYTES);
}
