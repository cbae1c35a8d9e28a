package io.reliapi.policy.concurrency;

import io.reliapi.config.ClientConfig.Priority;
import io.reliapi.pipeline.BackOnContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * One attempt asking for a place under a target's limit. Its fate (admitted or shed, and why) is decided once,
 * under the limiter's lock; it is told afterwards, outside the lock, and the attempt hears it on its own
 * event loop. An admitted waiter holds a place until {@link #release} gives it back, once; its latency may be
 * {@linkplain #sample sampled} before that.
 */
final class Waiter {
  static final String QUEUE_FULL = "queue_full";
  static final String DISPLACED = "displaced";
  static final String QUEUE_TIMEOUT = "queue_timeout";
  static final String DEADLINE = "deadline";
  static final String CANCELLED = "cancelled";
  private static final String ADMITTED = "admitted";

  private final TargetLimiter limiter;
  private final Priority priority;
  private final long enteredNanos;
  private final Promise<Void> told = Promise.promise();
  private final Future<Void> heard;
  /** Null while waiting; "admitted" or the reason it was shed. Written under the limiter's lock. */
  private String fate;
  private int inFlightWhenAdmitted;
  private boolean released;

  Waiter(TargetLimiter limiter, Priority priority, long enteredNanos) {
    this.limiter = limiter;
    this.priority = priority;
    this.enteredNanos = enteredNanos;
    this.heard = BackOnContext.of(told.future());
  }

  Priority priority() {
    return priority;
  }

  long enteredNanos() {
    return enteredNanos;
  }

  /** Admits the waiter, which makes {@code inFlight} attempts holding places. */
  void admit(int inFlight) {
    fate = ADMITTED;
    inFlightWhenAdmitted = inFlight;
  }

  void shed(String reason) {
    fate = reason;
  }

  /** Completes the future with the fate decided; called once, after the lock is let go. */
  void tell() {
    String decided;
    synchronized (limiter) {
      decided = fate;
    }
    if (decided == null) {
      return;
    }
    if (decided.equals(ADMITTED)) {
      told.tryComplete();
    } else {
      told.tryFail(new Shed(decided));
    }
  }

  /** Returns whether the waiter was told its fate already (admitted or shed at once). */
  boolean decided() {
    return told.future().isComplete();
  }

  /** Returns why the waiter was shed, or null when it was admitted or still waits. */
  String shedReason() {
    synchronized (limiter) {
      return fate == null || fate.equals(ADMITTED) ? null : fate;
    }
  }

  /** Succeeds once admitted; fails with {@link Shed} once shed. Completes on the caller's event loop. */
  Future<Void> admitted() {
    return heard;
  }

  /**
   * Tells the limit the attempt's latency, {@code latencyNanos} since {@code startedNanos}: when its answer's head
   * arrived, which may be long before the answer ends and the place is given back.
   */
  void sample(long startedNanos, long latencyNanos) {
    int atStart;
    synchronized (limiter) {
      atStart = inFlightWhenAdmitted;
    }
    limiter.sample(startedNanos, atStart, latencyNanos);
  }

  /** Gives the place back, once. */
  void release() {
    if (released) {
      return;
    }
    released = true;
    limiter.exit(priority);
  }

  /** A waiter was shed ({@link #shedReason()} says why); stackless, it is an expected outcome. */
  static final class Shed extends RuntimeException {
    Shed(String reason) {
      super(reason, null, false, false);
    }
  }
}
