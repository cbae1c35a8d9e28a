package io.reliapi.llm;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The chunks of a stream on their way to its reader: handed on at once while the reader takes them, held in
 * order while there is none yet or it paused. Used on one event loop.
 */
final class HeldChunks {
  private final ArrayDeque<ChatChunk> held = new ArrayDeque<>();
  private Consumer<ChatChunk> reader;
  private boolean paused;

  void reader(Consumer<ChatChunk> reader) {
    this.reader = reader;
  }

  boolean hasReader() {
    return reader != null;
  }

  /** Returns whether the reader paused (it cannot take more yet). */
  boolean paused() {
    return paused;
  }

  void paused(boolean paused) {
    this.paused = paused;
  }

  /** Hands {@code chunk} to the reader, or holds it behind those held before it. */
  void add(ChatChunk chunk) {
    if (reader != null && !paused && held.isEmpty()) {
      reader.accept(chunk);
    } else {
      held.add(chunk);
    }
  }

  /** Hands on what is held while the reader takes it; returns whether a reader has had every chunk. */
  boolean drain() {
    while (reader != null && !paused && !held.isEmpty()) {
      reader.accept(held.poll());
    }
    return reader != null && held.isEmpty();
  }

  /** Drops what is held: nobody will read it. */
  void clear() {
    held.clear();
  }
}
