package io.reliapi.llm;

import io.reliapi.http.HeldBytes;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * Whether a {@link ChatStream} has been committed to its reader: it counts the events held before its commit
 * point, asks its {@link StreamCommitRule} whether it is there, and completes its start there (or fails it when
 * the stream breaks first). The events held take from the request's share of the memory budget; when it has no
 * room the stream commits at once, as one past the rule's size. Used on one event loop.
 */
final class StreamCommitment {
  private final StreamCommitRule rule;
  private final Promise<Void> started = Promise.promise();
  private long heldBytes;
  /** What {@link #heldBytes} took from the budget (less, once it had no room). */
  private long taken;
  private HeldBytes buffered = HeldBytes.untracked();
  private boolean outOfBudget;

  StreamCommitment(StreamCommitRule rule) {
    this.rule = rule;
  }

  void bufferedIn(HeldBytes buffered) {
    this.buffered = buffered;
  }

  /** Completes at the commit point; fails when the stream ends or breaks before it. */
  Future<Void> started() {
    return started.future();
  }

  /** Returns whether the stream is past its commit point or failed before it. */
  boolean decided() {
    return started.future().isComplete();
  }

  boolean committed() {
    return started.future().succeeded();
  }

  /** Counts an event of {@code bytes} the stream holds (once committed, it holds none). */
  void held(int bytes) {
    if (!decided()) {
      heldBytes += bytes;
      if (buffered.take(bytes)) {
        taken += bytes;
      } else {
        outOfBudget = true;
      }
    }
  }

  /** Returns whether the stream reached its commit point now. */
  boolean due(boolean tokenSeen) {
    return !decided() && (outOfBudget || rule.reached(heldBytes, tokenSeen));
  }

  /** Returns whether the provider's end, before the commit point, leaves an empty answer. */
  boolean emptyAnswer(boolean tokenSeen, String finishReason) {
    return !decided() && rule.emptyAnswer(tokenSeen, finishReason);
  }

  void commit() {
    started.complete();
  }

  /** The provider completed its answer: a stream not yet committed is committed with all of it. */
  void completed() {
    started.tryComplete();
  }

  /** The stream broke before its commit point: the events it held are dropped, and what they took given back. */
  void failed(Throwable failure) {
    if (started.tryFail(failure)) {
      buffered.freed(taken);
      taken = 0;
    }
  }
}
