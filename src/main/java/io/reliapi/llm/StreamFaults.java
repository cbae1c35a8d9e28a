package io.reliapi.llm;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import java.util.concurrent.TimeoutException;

/**
 * The failures a {@link ChatStream} ends with, each in the class SPEC §3.1 gives it. A stream fault
 * ({@link GatewayException#streamFault()}) is the provider's stream breaking, which a retry may get past; the
 * client going away and a provider slow to its first token are not.
 */
final class StreamFaults {
  private StreamFaults() {
  }

  /** The client went away during the stream. */
  static GatewayException clientGone() {
    return GatewayException.afterSend(ErrorCode.NETWORK_ERROR, "The client went away during the stream.");
  }

  /** The provider ended its response before a finish reason: the answer was cut off. */
  static GatewayException cutOff() {
    return GatewayException.afterSend(ErrorCode.UPSTREAM_INVALID_RESPONSE,
        "The provider's stream ended before the answer was complete.").withStreamFault();
  }

  /**
   * The provider's connection failed: a read timeout is a stall, anything else a break; but one of the gateway's own
   * bounds met on the way in (a raw route's tee refusing an event it holds back, {@link NativeStream}) is final.
   */
  static GatewayException broken(Throwable cause) {
    if (cause instanceof GatewayException error && bound(error)) {
      return error;
    }
    return cause instanceof TimeoutException ? stalled()
        : GatewayException.afterSend(ErrorCode.NETWORK_ERROR, "The provider's stream broke off.").withStreamFault();
  }

  /** The provider kept silent past the limit: before the first token it is slow to answer, after it it stalled. */
  static GatewayException silence(boolean afterToken) {
    return afterToken ? stalled()
        : GatewayException.afterSend(ErrorCode.UPSTREAM_TIMEOUT, "The provider sent no token in time.");
  }

  /**
   * The provider's bytes could not be read as its stream: a decoder's own failure, or a malformed event. The
   * gateway's own bounds (an event past {@code server.max_response_bytes}, the memory budget) are final, as a whole
   * answer's are: another try, or a continuation, would meet them again.
   */
  static GatewayException undecodable(RuntimeException cause) {
    if (!(cause instanceof GatewayException error)) {
      return DecoderState.malformedEvent().withStreamFault();
    }
    return bound(error) ? error : error.withStreamFault();
  }

  /** Whether {@code error} is one of the gateway's own bounds: an event past its limit, or the memory budget full. */
  private static boolean bound(GatewayException error) {
    return error.targetBlameless() || error.code() == ErrorCode.UPSTREAM_RESPONSE_TOO_LARGE;
  }

  /** The provider marked its end before its commit point with neither a token nor a finish reason. */
  static GatewayException emptyAnswer() {
    return GatewayException.afterSend(ErrorCode.UPSTREAM_INVALID_RESPONSE,
        "The provider's stream ended without an answer.").withStreamFault();
  }

  /** The provider reported an error after the commit point, with the HTTP status it stands for. */
  static GatewayException providerError(int status) {
    return GatewayException.afterSend(ErrorCode.UPSTREAM_ERROR, "The provider reported an error during the stream.")
        .withUpstreamStatus(status);
  }

  private static GatewayException stalled() {
    return GatewayException.afterSend(ErrorCode.UPSTREAM_TIMEOUT, "The provider's stream stalled.").withStreamFault();
  }
}
