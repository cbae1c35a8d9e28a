package io.reliapi.observe;

import io.reliapi.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last {@code size} finished requests with their trails, shared by every event loop: a ring that
 * request threads write without a lock (one slot each) and the admin API reads. A reader may see a slot
 * replaced while it scans; it only ever sees whole records. Each is kept packed ({@link RecordBytes}) and
 * unpacked when read: reads are rare, and the ring is what young collections copy most.
 */
public final class RecentRequests implements GatewayEvents {
  private final AtomicReferenceArray<byte[]> slots;
  private final AtomicLong written = new AtomicLong();
  private final Clock clock;

  public RecentRequests(int size, Clock clock) {
    this.slots = new AtomicReferenceArray<>(size);
    this.clock = clock;
  }

  @Override
  public void requestFinished(CompletedRequest r) {
    slots.set((int) (written.getAndIncrement() % slots.length()), RecordBytes.pack(r, clock.epochMillis()));
  }

  /** Returns the capacity of the ring. */
  public int size() {
    return slots.length();
  }

  /** Returns the most recent request with {@code requestId}, or null when it is no longer (or never was) kept. */
  public RequestRecord find(String requestId) {
    for (byte[] packed : newestPacked()) {
      if (requestId.equals(RecordBytes.requestId(packed))) {
        return RecordBytes.unpack(packed);
      }
    }
    return null;
  }

  /** Returns the kept requests, newest first. */
  public List<RequestRecord> newestFirst() {
    List<byte[]> packed = newestPacked();
    List<RequestRecord> out = new ArrayList<>(packed.size());
    for (byte[] record : packed) {
      out.add(RecordBytes.unpack(record));
    }
    return out;
  }

  private List<byte[]> newestPacked() {
    long end = written.get();
    int n = slots.length();
    List<byte[]> out = new ArrayList<>((int) Math.min(n, end));
    for (long i = end - 1; i >= 0 && i >= end - n; i--) {
      byte[] packed = slots.get((int) (i % n));
      if (packed != null) {
        out.add(packed);
      }
    }
    return out;
  }
}
