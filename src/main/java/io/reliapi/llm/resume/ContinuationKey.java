package io.reliapi.llm.resume;

import io.reliapi.http.Digest;
import io.reliapi.policy.idempotency.IdempotencyKeys;

/**
 * The idempotency key a continuation forwards to a provider that deduplicates ({@code idempotency.forward_header}):
 * the client's key with {@code .continue-<n>}, so each continuation is idempotent upstream and none is taken for a
 * repeat of the first call (a different body under the same key: refused with a 409 or 422, or answered with the
 * first call's answer, its text twice). A key too long for that keeps within the 255 characters of a key by
 * standing in for the client's key with its SHA-256. Pure.
 */
final class ContinuationKey {
  private ContinuationKey() {}

  static String of(String key, int resume) {
    String suffix = ".continue-" + resume;
    String base = key.length() + suffix.length() <= IdempotencyKeys.MAX_LENGTH ? key : new Digest().add(key).hex();
    return base + suffix;
  }
}
