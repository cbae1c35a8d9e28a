package io.reliapi.store;

import io.reliapi.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The requests of this instance marked waiting on idempotency keys ({@link IdempotencyStore#markWaiting}), each
 * until its mark's end on the monotonic clock. Marks are removed when their waiter stops waiting; one that ran out
 * no longer counts, and goes when its key is next marked or asked about. Safe from any thread.
 */
final class WaiterMarks {
  private final Clock clock;
  private final ConcurrentHashMap<String, Map<String, Long>> byScope = new ConcurrentHashMap<>();

  WaiterMarks(Clock clock) {
    this.clock = clock;
  }

  void mark(IdempotencyScope scope, String waiter, long forMs) {
    long now = monotonicMillis();
    byScope.compute(scope.id(), (id, marks) -> {
      Map<String, Long> kept = marks == null ? new ConcurrentHashMap<>() : marks;
      kept.values().removeIf(end -> end <= now);
      kept.put(waiter, now + forMs);
      return kept;
    });
  }

  void unmark(IdempotencyScope scope, String waiter) {
    byScope.computeIfPresent(scope.id(), (id, marks) -> {
      marks.remove(waiter);
      return marks.isEmpty() ? null : marks;
    });
  }

  boolean awaited(IdempotencyScope scope, String except) {
    long now = monotonicMillis();
    Map<String, Long> left = byScope.computeIfPresent(scope.id(), (id, marks) -> {
      marks.values().removeIf(end -> end <= now);
      return marks.isEmpty() ? null : marks;
    });
    return left != null && left.keySet().stream().anyMatch(waiter -> !waiter.equals(except));
  }

  private long monotonicMillis() {
    return TimeUnit.NANOSECONDS.toMillis(clock.nanoTime());
  }
}
