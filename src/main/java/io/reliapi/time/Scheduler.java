package io.reliapi.time;

/**
 * Timers the gateway chooses to wait on (backoff, coalescing waits, lease renewal). Tasks run on the
 * Vert.x context that scheduled them. I/O timeouts of upstream calls are not scheduled here: they belong
 * to the connection and always run in real time.
 */
public interface Scheduler {

  /** Runs {@code task} after {@code delayMs} milliseconds; the returned handle cancels it. */
  Cancellable schedule(long delayMs, Runnable task);

  /** A scheduled task that may still be cancelled. */
  interface Cancellable {
    /** Cancels the task if it has not run yet; returns whether it was cancelled. */
    boolean cancel();
  }
}
