package io.reliapi.upstream;

import io.netty.channel.ConnectTimeoutException;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Maps what went wrong on the wire to the gateway's errors and remembers whether the request could have
 * reached the upstream. Messages are fixed texts: no host, URL or exception name leaks out.
 */
final class Failures {
  private Failures() {}

  /** Classifies {@code failure}; {@code sent} says whether request bytes may have left the gateway. */
  static GatewayException classify(Throwable failure, boolean sent) {
    if (failure instanceof GatewayException known) {
      return known;
    }
    if (failure instanceof ConnectTimeoutException) {
      return GatewayException.of(ErrorCode.UPSTREAM_TIMEOUT, "The upstream did not accept a connection in time.");
    }
    if (failure instanceof TimeoutException) {
      return timeout(sent);
    }
    if (!sent) {
      if (failure instanceof ConnectException) {
        return GatewayException.of(ErrorCode.NETWORK_ERROR, "The upstream refused the connection.");
      }
      if (failure instanceof UnknownHostException) {
        return GatewayException.of(ErrorCode.NETWORK_ERROR, "The upstream host could not be resolved.");
      }
      if (failure instanceof SSLException) {
        return GatewayException.of(ErrorCode.NETWORK_ERROR, "The TLS handshake with the upstream failed.");
      }
      return GatewayException.of(ErrorCode.NETWORK_ERROR, "Could not connect to the upstream.");
    }
    return GatewayException.afterSend(ErrorCode.NETWORK_ERROR, "The upstream connection failed during the request.");
  }

  /**
   * Classifies a failure while preparing an attempt, before any byte was written: never sent. A value the
   * HTTP client refuses (a header, the method) is the request's fault; anything else is the gateway's.
   */
  static GatewayException unprepared(Throwable failure) {
    if (failure instanceof GatewayException known) {
      return known;
    }
    if (failure instanceof IllegalArgumentException) {
      return GatewayException.of(ErrorCode.INVALID_REQUEST,
          "The request cannot be sent upstream: a header, the method or the path is not valid HTTP.");
    }
    return GatewayException.of(ErrorCode.INTERNAL_ERROR, "The request could not be prepared for the upstream.");
  }

  static GatewayException timeout(boolean sent) {
    String message = "The upstream did not answer in time.";
    return sent ? GatewayException.afterSend(ErrorCode.UPSTREAM_TIMEOUT, message)
        : GatewayException.of(ErrorCode.UPSTREAM_TIMEOUT, message);
  }

  /** Classifies a failure to get a connection: a busy pool is OVERLOADED, not a fault of the target. */
  static GatewayException notObtained(Throwable cause, Attempt attempt, long connectTimeoutMs) {
    if (cause instanceof ConnectionPoolTooBusyException) {
      return overloaded();
    }
    if (cause instanceof TimeoutException && attempt.timeoutMs() < connectTimeoutMs) {
      return attempt.timedOut(false);  // the attempt's limit, not the target's connect timeout, ran out
    }
    return classify(cause, false);
  }

  /**
   * Classifies a failure before the response head. A timeout while the client is still sending its body, slowly
   * enough that the gateway spent most of the time waiting for it, is the client's doing, like one its own
   * {@code timeout_ms} set.
   */
  static GatewayException beforeAnswerHead(Throwable cause, Attempt attempt, ClientUpload upload) {
    if (!(cause instanceof TimeoutException)) {
      return classify(cause, true);
    }
    GatewayException timeout = attempt.timedOut(true);
    return upload != null && upload.mostlyAwaitingClient() ? timeout.withTargetBlameless() : timeout;
  }

  /**
   * Every connection of the target's pool (a deployment's, on a target with deployments) is busy and the wait
   * for one ran out: nothing was sent, and a sibling deployment's pool may have room.
   */
  static GatewayException overloaded() {
    return GatewayException.of(ErrorCode.OVERLOADED,
        "Every connection to the target is busy; try again shortly.").withRetryAfter(1).withPoolFull();
  }

  static GatewayException tooLarge() {
    return GatewayException.afterSend(ErrorCode.UPSTREAM_RESPONSE_TOO_LARGE,
        "The upstream response is larger than the gateway's limit.");
  }
}
