package io.reliapi.policy.idempotency;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;

/**
 * What becomes of an idempotency key once its leading request has an answer (SPEC §3.4), decided from
 * that answer alone.
 */
public enum Settlement {
  /** The upstream answered: keep the answer and replay it. */
  STORE,
  /** The request provably did not take effect: forget the key, so the next request with it executes. */
  RELEASE,
  /** The request was sent and then lost: keep the key as "outcome unknown", never execute it again. */
  UNKNOWN,
  /** The upstream answered, but the gateway could not keep the answer. */
  NOT_STORED;

  /** Decides for an upstream answer: 408, 425 and 429 say the upstream did not process the request. */
  public static Settlement afterReply(int status) {
    return status == 408 || status == 425 || status == 429 ? RELEASE : STORE;
  }

  /**
   * Decides for a failure: the gateway's own rejections and failures before sending release the key; a
   * timeout or broken connection after sending leaves the outcome unknown, unless the upstream got the
   * key and deduplicates by itself ({@code keyForwarded}); anything else after sending (an answer too
   * large or not understood) means the upstream did answer.
   */
  public static Settlement afterFailure(Throwable failure, boolean keyForwarded) {
    GatewayException error = GatewayException.from(failure);
    if (!error.sentUpstream()) {
      return RELEASE;
    }
    if (error.code() == ErrorCode.NETWORK_ERROR || error.code() == ErrorCode.UPSTREAM_TIMEOUT) {
      return keyForwarded ? RELEASE : UNKNOWN;
    }
    return NOT_STORED;
  }
}
