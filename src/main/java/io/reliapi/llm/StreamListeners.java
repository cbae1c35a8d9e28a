package io.reliapi.llm;

import java.util.ArrayList;
import java.util.List;

/** Actions waiting for one moment of a stream (its first token, its end); each runs once. Used on one event loop. */
final class StreamListeners {
  private final List<Runnable> waiting = new ArrayList<>(2);

  void add(Runnable action) {
    waiting.add(action);
  }

  /** Runs the actions waiting now; one added while they run waits for the next call. */
  void run() {
    List<Runnable> actions = List.copyOf(waiting);
    waiting.clear();
    actions.forEach(Runnable::run);
  }
}
