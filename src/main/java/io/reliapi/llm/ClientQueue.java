package io.reliapi.llm;

import io.reliapi.http.HeldBytes;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.Collection;

/**
 * The bytes of a provider's stream waiting for a raw route's client ({@link NativeStream}): a client slower than its
 * provider, or one not reading yet (a stream held to its commit point), leaves them here, so they take from the
 * request's share of the memory budget as they are queued and give it back as the client takes them or the queue is
 * let go. Used on one event loop.
 */
final class ClientQueue {
  private final ArrayDeque<Buffer> queued = new ArrayDeque<>();
  private final HeldBytes buffered;
  private long bytes;

  ClientQueue(HeldBytes buffered) {
    this.buffered = buffered;
  }

  /** Queues {@code slices}; false, queuing none, when the budget has no room for them. */
  boolean add(Collection<Buffer> slices) {
    int length = 0;
    for (Buffer slice : slices) {
      length += slice.length();
    }
    if (length > 0 && !buffered.take(length)) {
      return false;
    }
    queued.addAll(slices);
    bytes += length;
    return true;
  }

  /** Queues {@code slices} that were taken from the same share already, by the holder that hands them over. */
  void adopt(Collection<Buffer> slices) {
    for (Buffer slice : slices) {
      queued.add(slice);
      bytes += slice.length();
    }
  }

  boolean isEmpty() {
    return queued.isEmpty();
  }

  /** Returns the next bytes for the client, giving back what they took. */
  Buffer poll() {
    Buffer next = queued.poll();
    bytes -= next.length();
    buffered.freed(next.length());
    return next;
  }

  /** Lets go of everything queued: nobody will read it. */
  void clear() {
    queued.clear();
    buffered.freed(bytes);
    bytes = 0;
  }
}
