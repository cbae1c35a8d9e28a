package io.reliapi.server;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The cap on client connections open at once, over every event loop ({@code server.max_connections}): each one
 * costs buffers and a socket whether or not it sends anything, and the file descriptors run out before the heap.
 * A connection past the cap is closed as soon as it is accepted; the ones open are unaffected.
 */
public final class ConnectionCap {
  private final int max;
  private final AtomicInteger open = new AtomicInteger();
  private final LongAdder refused = new LongAdder();

  public ConnectionCap(int max) {
    this.max = max;
  }

  /** Counts a connection just accepted in; false (and counted as refused) when the cap is reached. */
  boolean admit() {
    if (open.incrementAndGet() <= max) {
      return true;
    }
    open.decrementAndGet();
    refused.increment();
    return false;
  }

  /** An admitted connection closed. */
  void closed() {
    open.decrementAndGet();
  }

  public int open() {
    return open.get();
  }

  public long refused() {
    return refused.sum();
  }
}
