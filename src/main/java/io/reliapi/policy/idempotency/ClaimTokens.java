package io.reliapi.policy.idempotency;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Makes the token of one attempt to claim an idempotency key: the request's id, so a claim in Redis says
 * which request holds it, and 64 random bits, so every attempt of that request has a token of its own.
 */
final class ClaimTokens {
  private ClaimTokens() {}

  static String next(String requestId) {
    return requestId + "." + Long.toHexString(ThreadLocalRandom.current().nextLong());
  }
}
