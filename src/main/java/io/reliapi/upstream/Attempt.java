package io.reliapi.upstream;

import io.reliapi.error.GatewayException;
import io.reliapi.http.HeldBytes;
import io.reliapi.pipeline.Cancellation;

/**
 * The limits of one upstream attempt.
 *
 * @param limit            time allowed for the attempt (until the last byte when buffering, until the response
 *                         head when streaming; then it is the idle timeout), and whether the client chose it
 * @param streamLimitMs    time allowed, from the attempt's start, for an answer that is not buffered to end
 *                         (the target's {@code stream_max_s} or the request's deadline), however slowly it is read
 * @param buffer           whether to read the whole body before answering
 * @param maxResponseBytes the most bytes a buffered body may have
 * @param requestId        sent upstream as {@code X-Request-ID}
 * @param buffered         the request's share of the memory budget, which a body read whole takes from
 */
public record Attempt(AttemptLimit limit, long streamLimitMs, boolean buffer, long maxResponseBytes,
    Cancellation cancellation, String requestId, HeldBytes buffered) {

  /** An attempt whose answer, if read whole, is outside the memory budget. */
  public Attempt(AttemptLimit limit, long streamLimitMs, boolean buffer, long maxResponseBytes,
      Cancellation cancellation, String requestId) {
    this(limit, streamLimitMs, buffer, maxResponseBytes, cancellation, requestId, HeldBytes.untracked());
  }

  public long timeoutMs() {
    return limit.ms();
  }

  /** The failure of an attempt that ran out of its {@link #limit}; the client's own limit blames no target. */
  GatewayException timedOut(boolean sent) {
    GatewayException timeout = Failures.timeout(sent);
    return limit.setByClient() ? timeout.withTargetBlameless() : timeout;
  }
}
