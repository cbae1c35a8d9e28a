package io.reliapi.observe;

import io.reliapi.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last {@code size} finished requests with their trails, shared by every event loop: a ring that
 * request threads write without a lock (one slot each) and the admin API reads. A reader may see a slot
 * replaced while it scans; it only ever sees whole records.
 */
public final class RecentRequests implements GatewayEvents {
  private final AtomicReferenceArray<RequestRecord> slots;
  private final AtomicLong written = new AtomicLong();
  private final Clock clock;

  public RecentRequests(int size, Clock clock) {
    this.slots = new AtomicReferenceArray<>(size);
    this.clock = clock;
  }

  @Override
  public void requestFinished(CompletedRequest r) {
    var trace = r.trace();
    var trail = trace == null ? null : trace.trail();
    RequestRecord record = new RequestRecord(r.requestId(), clock.epochMillis(), r.route().name().toLowerCase(),
        r.client(), r.target(), r.method(), r.status(), r.outcome(), r.errorCode(),
        TimeUnit.NANOSECONDS.toMillis(r.durationNanos()), trace == null ? null : trace.span().traceId(),
        trail == null ? List.of() : trail.entries(), trail == null ? 0 : trail.dropped());
    slots.set((int) (written.getAndIncrement() % slots.length()), record);
  }

  /** Returns the capacity of the ring. */
  public int size() {
    return slots.length();
  }

  /** Returns the most recent request with {@code requestId}, or null when it is no longer (or never was) kept. */
  public RequestRecord find(String requestId) {
    for (RequestRecord record : newestFirst()) {
      if (record.requestId().equals(requestId)) {
        return record;
      }
    }
    return null;
  }

  /** Returns the kept requests, newest first. */
  public List<RequestRecord> newestFirst() {
    long end = written.get();
    int n = slots.length();
    List<RequestRecord> out = new ArrayList<>((int) Math.min(n, end));
    for (long i = end - 1; i >= 0 && i >= end - n; i--) {
      RequestRecord record = slots.get((int) (i % n));
      if (record != null) {
        out.add(record);
      }
    }
    return out;
  }
}
