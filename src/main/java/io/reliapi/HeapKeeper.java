package io.reliapi;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.reliapi.time.Clock;
import io.reliapi.time.Scheduler;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the old generation once its garbage is half as large as its live data. The serial collector (the
 * launcher's) collects the old generation only when it cannot grow any more, and it may grow to the maximum heap, a
 * quarter of the machine's memory by default. Everything that outlives about fifteen young collections and then
 * dies (a client connection's state, a trail record, an expired cache entry, whatever was in flight when the
 * survivor spaces overflowed) stays there until then, so without this a gateway's resident memory creeps up for as
 * long as it runs: by 60–100 MB in one five-minute benchmark. A full collection of a heap this size pauses the
 * process for 10–30 ms; it is asked for at most every {@link #MIN_INTERVAL_MS}, and only when due, but for a burst
 * of promotion, collected at the next check.
 */
final class HeapKeeper {
  private static final Logger LOG = LoggerFactory.getLogger(HeapKeeper.class);
  /** Garbage below this is never worth a pause: a small live set still gets room to grow into. */
  static final long MIN_GARBAGE_BYTES = 8L << 20;
  static final long MIN_INTERVAL_MS = 10_000;
  /**
   * Garbage past this (and past twice the live data) is a burst of promotion, collected at the next check instead
   * of after {@link #MIN_INTERVAL_MS}: once the survivor spaces overflow, a young collection can promote tens of
   * MiB a second, and the old generation would grow by hundreds of MiB before the interval ran out (466 MB of
   * resident memory once at c=128, docs/performance.md), past a container's memory limit.
   */
  static final long BURST_GARBAGE_BYTES = 64L << 20;
  static final long CHECK_EVERY_MS = 2_000;

  /** The old generation as the keeper sees it. */
  interface OldGeneration {
    long usedBytes();

    /** What the last full collection left; 0 before the first. Young collections do not change it. */
    long liveBytes();

    /** Asks for a full collection; returns at once. */
    void collect();
  }

  private final Clock clock;
  private final Scheduler scheduler;
  private final OldGeneration old;
  private long lastCollectionNanos;

  HeapKeeper(Clock clock, Scheduler scheduler, OldGeneration old) {
    this.clock = clock;
    this.scheduler = scheduler;
    this.old = old;
  }

  /**
   * Whether the old generation should be collected now: it holds more than half of {@code liveBytes} (what the
   * last full collection left, 0 before the first) on top of it, and more than {@link #MIN_GARBAGE_BYTES}, and the
   * last collection asked for is {@link #MIN_INTERVAL_MS} old. Half is about the room the heap keeps free after a
   * full collection ({@code -XX:MaxHeapFreeRatio=40}), so the old generation is collected instead of grown. A
   * burst (more than twice the live data and more than {@link #BURST_GARBAGE_BYTES}) does not wait for the
   * interval; the checks are {@link #CHECK_EVERY_MS} apart.
   */
  static boolean due(long usedBytes, long liveBytes, long msSinceLastCollection) {
    long garbage = usedBytes - liveBytes;
    boolean burst = garbage > Math.max(2 * liveBytes, BURST_GARBAGE_BYTES);
    return burst || msSinceLastCollection >= MIN_INTERVAL_MS && garbage > Math.max(liveBytes / 2, MIN_GARBAGE_BYTES);
  }

  /**
   * Starts watching the old generation when the serial collector runs it (other collectors keep their own) and
   * {@code System.gc()} collects (with {@code -XX:+DisableExplicitGC} every check would start a thread that does
   * nothing).
   */
  static void startIfSerial(Clock clock, Scheduler scheduler) {
    if (explicitGcDisabled()) {
      LOG.info("old generation keeping off: -XX:+DisableExplicitGC");
      return;
    }
    serialOldGeneration().ifPresent(pool -> new HeapKeeper(clock, scheduler, new TenuredPool(pool)).start());
  }

  static boolean explicitGcDisabled() {
    try {
      HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      return vm != null && Boolean.parseBoolean(vm.getVMOption("DisableExplicitGC").getValue());
    } catch (IllegalArgumentException e) {
      return false;  // a JVM without the flag: System.gc() is honoured
    }
  }

  void start() {
    lastCollectionNanos = clock.nanoTime();
    scheduler.schedule(CHECK_EVERY_MS, this::check);
  }

  private void check() {
    try {
      long sinceMs = TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - lastCollectionNanos);
      if (due(old.usedBytes(), old.liveBytes(), sinceMs)) {
        lastCollectionNanos = clock.nanoTime();
        old.collect();
      }
    } catch (RuntimeException e) {
      // A failed reading must not end the keeping: the next check tries again.
      LOG.warn("old generation check failed: {}", e.getMessage());
    } finally {
      scheduler.schedule(CHECK_EVERY_MS, this::check);
    }
  }

  private static Optional<MemoryPoolMXBean> serialOldGeneration() {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP && p.getName().equals("Tenured Gen")).findFirst();
  }

  /**
   * The serial collector's "Tenured Gen" pool. Its collection usage is set only by full collections (the young
   * collector's pools are Eden and Survivor), so it is the live data the last full collection left.
   */
  private record TenuredPool(MemoryPoolMXBean pool) implements OldGeneration {
    @Override
    public long usedBytes() {
      return pool.getUsage().getUsed();
    }

    @Override
    public long liveBytes() {
      return pool.getCollectionUsage() == null ? 0 : pool.getCollectionUsage().getUsed();
    }

    /** On a thread of its own: the checks run on an event loop, which must not wait out the collection. */
    @Override
    public void collect() {
      long used = usedBytes();
      long live = liveBytes();
      Thread.ofPlatform().daemon().name("reliapi-heap-keeper").start(() -> {
        System.gc();
        LOG.debug("old generation collected: {} MiB used, {} MiB live before, {} MiB after", used >> 20,
            live >> 20, liveBytes() >> 20);
      });
    }
  }
}
