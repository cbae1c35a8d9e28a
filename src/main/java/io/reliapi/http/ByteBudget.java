package io.reliapi.http;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The process-wide budget of bytes the gateway buffers for requests in flight (request bodies and upstream answers
 * read whole). Each per-request limit bounds one buffer; this bounds their sum, so a burst of large bodies is shed
 * with 503 instead of exhausting the heap, which would end the process and every request in it. Shared by every
 * event loop: one atomic add per chunk taken, one more for a chunk refused.
 */
public final class ByteBudget {
  private final long capacity;
  private final AtomicLong inUse = new AtomicLong();
  private final LongAdder shed = new LongAdder();

  public ByteBudget(long capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.capacity = capacity;
  }

  /**
   * Takes {@code bytes} if they fit. Added first and given back on refusal: a refusal may briefly make a
   * concurrent taker see the budget fuller than it is, which errs on the side of shedding.
   */
  boolean tryTake(long bytes) {
    if (inUse.addAndGet(bytes) <= capacity) {
      return true;
    }
    inUse.addAndGet(-bytes);
    return false;
  }

  void give(long bytes) {
    inUse.addAndGet(-bytes);
  }

  /** Counts a request refused for want of memory (once per request). */
  void shedOne() {
    shed.increment();
  }

  public long inUse() {
    return inUse.get();
  }

  public long capacity() {
    return capacity;
  }

  /** Returns how many requests were shed for want of memory since start. */
  public long shed() {
    return shed.sum();
  }
}
