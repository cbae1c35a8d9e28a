package io.reliapi.policy.concurrency;

import io.reliapi.config.ClientConfig.Priority;

/**
 * What an attempt asking for a place under a target's concurrency limit is told. Batch attempts leave a
 * reserve of places free for interactive ones: as many as interactive attempts were recently in flight or
 * waiting, plus one (all places but one at most). So interactive attempts rarely wait behind batch ones, and
 * batch ones get what interactive traffic leaves; a target without interactive traffic gives batch all
 * places but one. Waiting attempts are served in order,
 * interactive ones before batch ones, so an attempt goes straight through only when a place it may take is
 * free and no one it must let pass is waiting. When the queue is full, an interactive attempt takes the
 * place of the batch attempt that joined last (which is shed); otherwise the newcomer is shed. Pure.
 */
public final class Admission {
  private Admission() {}

  public enum Decision {
    /** A place is free: run now. */
    ADMIT,
    /** Wait in the queue of its priority. */
    QUEUE,
    /** Wait, after shedding the batch attempt that joined the queue last. */
    QUEUE_DISPLACING_BATCH,
    /** No place and no room to wait: 503 OVERLOADED. */
    SHED
  }

  /** Returns the places batch attempts leave free, from the most interactive attempts recently in flight or waiting. */
  public static int reserve(int limit, int recentInteractive) {
    return Math.max(0, Math.min(limit - 1, recentInteractive + 1));
  }

  /** Returns how many places attempts of {@code priority} may hold together with all others. */
  public static int places(Priority priority, int limit, int reserve) {
    return priority == Priority.INTERACTIVE ? limit : limit - reserve;
  }

  /**
   * Decides for an attempt of {@code priority}.
   *
   * @param reserve the places batch attempts must leave free ({@link #reserve})
   * @param mayWait whether the request has time left to wait at all
   */
  public static Decision decide(Priority priority, int inFlight, int limit, int reserve, int waitingInteractive,
      int waitingBatch, int queueSize, boolean mayWait) {
    boolean othersFirst = priority == Priority.INTERACTIVE ? waitingInteractive > 0
        : waitingInteractive + waitingBatch > 0;
    if (inFlight < places(priority, limit, reserve) && !othersFirst) {
      return Decision.ADMIT;
    }
    if (!mayWait) {
      return Decision.SHED;
    }
    if (waitingInteractive + waitingBatch < queueSize) {
      return Decision.QUEUE;
    }
    if (priority == Priority.INTERACTIVE && waitingBatch > 0) {
      return Decision.QUEUE_DISPLACING_BATCH;
    }
    return Decision.SHED;
  }
}
