package io.reliapi.pipeline;

import io.reliapi.http.HeldBytes;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What stays the same for the whole request while stages run: who asked, through which route, by when it
 * must be done, and the per-request trace and cancellation signal.
 *
 * @param deadlineNanos   the {@link io.reliapi.time.Clock#nanoTime()} reading by which everything must end
 * @param attemptTimeoutMs a per-attempt timeout the client asked for, which may only shorten the target's
 * @param bufferReplies   whether the route needs whole response bodies (envelopes) or streams them
 * @param buffered        the request's share of the memory budget, which answers read whole take from
 * @param reasoning       whether its calls still send the reasoning items of its body ({@link ReasoningRefusal})
 */
public record RequestContext(
    String requestId,
    Route route,
    Caller caller,
    String primaryTarget,
    long startNanos,
    long deadlineNanos,
    Optional<Long> attemptTimeoutMs,
    Optional<String> idempotencyKey,
    CacheDirective cacheDirective,
    boolean bufferReplies,
    Trace trace,
    Cancellation cancellation,
    HeldBytes buffered,
    ReasoningRefusal reasoning) {

  public RequestContext(String requestId, Route route, Caller caller, String primaryTarget, long startNanos,
      long deadlineNanos, Optional<Long> attemptTimeoutMs, Optional<String> idempotencyKey,
      CacheDirective cacheDirective, boolean bufferReplies, Trace trace, Cancellation cancellation,
      HeldBytes buffered) {
    this(requestId, route, caller, primaryTarget, startNanos, deadlineNanos, attemptTimeoutMs, idempotencyKey,
        cacheDirective, bufferReplies, trace, cancellation, buffered, new ReasoningRefusal());
  }

  /** A context whose buffers are outside the memory budget (tests of stages that read no answer whole). */
  public RequestContext(String requestId, Route route, Caller caller, String primaryTarget, long startNanos,
      long deadlineNanos, Optional<Long> attemptTimeoutMs, Optional<String> idempotencyKey,
      CacheDirective cacheDirective, boolean bufferReplies, Trace trace, Cancellation cancellation) {
    this(requestId, route, caller, primaryTarget, startNanos, deadlineNanos, attemptTimeoutMs, idempotencyKey,
        cacheDirective, bufferReplies, trace, cancellation, HeldBytes.untracked());
  }

  /** Returns the whole milliseconds left until the deadline at {@code nowNanos} (negative once it passed). */
  public long msLeft(long nowNanos) {
    return TimeUnit.NANOSECONDS.toMillis(deadlineNanos - nowNanos);
  }

  /** Returns this context with another cancellation signal (one attempt's own, that the request's also fires). */
  public RequestContext withCancellation(Cancellation cancellation) {
    return new RequestContext(requestId, route, caller, primaryTarget, startNanos, deadlineNanos, attemptTimeoutMs,
        idempotencyKey, cacheDirective, bufferReplies, trace, cancellation, buffered, reasoning);
  }

  /** Returns this context with another idempotency key (one a part of the request forwards as its own). */
  public RequestContext withIdempotencyKey(Optional<String> key) {
    return new RequestContext(requestId, route, caller, primaryTarget, startNanos, deadlineNanos, attemptTimeoutMs,
        key, cacheDirective, bufferReplies, trace, cancellation, buffered, reasoning);
  }
}
