package io.reliapi.policy.idempotency;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.Reply;

/**
 * What becomes of an idempotency key once its leading request has its final answer (SPEC §3.4). The
 * answer alone is not enough when the request made several attempts (retries, fallbacks): a final
 * "not processed" after an earlier attempt that may have acted upstream does not make the request safe
 * to execute again.
 */
public enum Settlement {
  /** The upstream answered: keep the answer and replay it. */
  STORE,
  /** The request provably did not take effect: forget the key, so the next request with it executes. */
  RELEASE,
  /** The request may have taken effect, but there is no answer to show: never execute it again. */
  UNKNOWN,
  /** The upstream answered, but the gateway could not keep the answer. */
  NOT_STORED;

  /**
   * Decides for a final upstream answer: 408, 425 and 429 say the upstream did not act, so the key is
   * released, unless an earlier attempt may have acted ({@code mayHaveTakenEffect}) and the upstream
   * cannot deduplicate by the key itself ({@code keyForwarded}).
   */
  public static Settlement afterReply(Reply reply, boolean mayHaveTakenEffect, boolean keyForwarded) {
    if (!reply.saysNotProcessed()) {
      return STORE;
    }
    return mayHaveTakenEffect && !keyForwarded ? UNKNOWN : RELEASE;
  }

  /**
   * Decides for an LLM stream that broke off after it started (or whose client went away): there is no
   * complete answer, and whether the provider finished it is unknown, as for a connection lost after sending;
   * with the key forwarded upstream, which deduplicates by itself, the key is released.
   */
  public static Settlement afterBrokenStream(boolean keyForwarded) {
    return keyForwarded ? RELEASE : UNKNOWN;
  }

  /**
   * Decides for a final failure. A timeout or broken connection after sending leaves the outcome unknown;
   * a failure before sending (the gateway's own rejections included) releases the key, as long as no
   * earlier attempt may have acted; with the key forwarded upstream, which deduplicates by itself, an
   * unknown outcome releases too. Any other failure after sending (an answer too large or not
   * understood) means the upstream did answer.
   */
  public static Settlement afterFailure(Throwable failure, boolean mayHaveTakenEffect, boolean keyForwarded) {
    GatewayException error = GatewayException.from(failure);
    if (error.sentUpstream() && error.code() != ErrorCode.NETWORK_ERROR && error.code() != ErrorCode.UPSTREAM_TIMEOUT) {
      return NOT_STORED;
    }
    boolean unknown = error.sentUpstream() || mayHaveTakenEffect;
    return unknown && !keyForwarded ? UNKNOWN : RELEASE;
  }
}
