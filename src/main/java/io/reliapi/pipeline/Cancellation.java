package io.reliapi.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * Signals that the client hung up, so retries stop and upstream calls are reset. Used on the request's
 * own event loop only.
 */
public final class Cancellation {
  private List<Runnable> listeners;
  private boolean cancelled;

  public boolean cancelled() {
    return cancelled;
  }

  /** Runs {@code action} on cancellation (at once if already cancelled); the handle removes it. */
  public Runnable onCancel(Runnable action) {
    if (cancelled) {
      action.run();
      return () -> {};
    }
    if (listeners == null) {
      listeners = new ArrayList<>(2);
    }
    listeners.add(action);
    return () -> {
      if (listeners != null) {
        listeners.remove(action);
      }
    };
  }

  /**
   * Returns a signal that fires with this one and may also fire on its own (one of two hedged attempts);
   * it stops listening to this one when it fires.
   */
  public Cancellation child() {
    Cancellation child = new Cancellation();
    Runnable unlisten = onCancel(child::cancel);
    child.onCancel(unlisten);
    return child;
  }

  public void cancel() {
    if (cancelled) {
      return;
    }
    cancelled = true;
    List<Runnable> run = listeners;
    listeners = null;
    if (run != null) {
      run.forEach(Runnable::run);
    }
  }
}
