package io.reliapi.policy.resume;

import io.reliapi.http.DerivedKey;
import io.reliapi.http.Digest;

/**
 * The idempotency key a continuation forwards to a provider that deduplicates ({@code idempotency.forward_header}):
 * the client's key with {@code .continue-<n>-<12 hex digits of the prefix's SHA-256>}, so each continuation is
 * idempotent upstream and none is taken for a repeat of the first call (a different body under the same key:
 * refused with a 409 or 422, or answered with the first call's answer, its text twice); the prefix's digest keeps
 * apart the continuations of two streams of one key that broke at different points (the key sent again after the
 * gateway forgot it), and a client's own key that happens to end like one. A key too long for that keeps within
 * the 255 characters of a key by standing in for the client's key with its SHA-256. Pure.
 */
final class ContinuationKey {
  private static final int PREFIX_DIGITS = 12;

  private ContinuationKey() {}

  static String of(String key, int resume, String prefix) {
    return DerivedKey.of(key,
        ".continue-" + resume + "-" + new Digest().add(prefix).hex().substring(0, PREFIX_DIGITS));
  }
}
