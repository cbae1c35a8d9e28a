package io.reliapi;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the old generation once its garbage is half as large as its live data. The serial collector (the launcher's)
 * collects the old generation only when it cannot grow any more, and it may grow to the maximum heap, a quarter
 * of the machine's memory by default. Everything that outlives about fifteen young collections and then dies (a
 * client connection's state, a trail record, an expired cache entry, whatever was in flight when the survivor
 * spaces overflowed) stays there until then, so without this a gateway's resident memory creeps up for as long
 * as it runs: by 60–100 MB in one five-minute benchmark. A full collection of a heap this size pauses the
 * process for 10–30 ms; it is asked for at most every {@link #MIN_INTERVAL_MS}, and only when due.
 */
final class HeapKeeper {
  private static final Logger LOG = LoggerFactory.getLogger(HeapKeeper.class);
  /** Garbage below this is never worth a pause: a small live set still gets room to grow into. */
  static final long MIN_GARBAGE_BYTES = 8L << 20;
  static final long MIN_INTERVAL_MS = 10_000;
  private static final long CHECK_EVERY_MS = 2_000;

  private HeapKeeper() {}

  /**
   * Whether the old generation should be collected now: it holds more than half of {@code liveBytes} (what the
   * last full collection left, 0 before the first) on top of it, and more than {@link #MIN_GARBAGE_BYTES}, and the
   * last collection asked for is {@link #MIN_INTERVAL_MS} old. Half is about the room the heap keeps free after a
   * full collection ({@code -XX:MaxHeapFreeRatio=40}), so the old generation is collected instead of grown.
   */
  static boolean due(long usedBytes, long liveBytes, long msSinceLastCollection) {
    return msSinceLastCollection >= MIN_INTERVAL_MS
        && usedBytes - liveBytes > Math.max(liveBytes / 2, MIN_GARBAGE_BYTES);
  }

  /** Starts watching the old generation when the serial collector runs it; other collectors keep their own. */
  static void start() {
    serialOldGeneration().ifPresent(pool -> Thread.ofPlatform().daemon().name("reliapi-heap-keeper")
        .start(() -> watch(pool)));
  }

  private static Optional<MemoryPoolMXBean> serialOldGeneration() {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP && p.getName().equals("Tenured Gen")).findFirst();
  }

  private static void watch(MemoryPoolMXBean pool) {
    long lastCollection = System.nanoTime();
    while (true) {
      try {
        Thread.sleep(CHECK_EVERY_MS);
      } catch (InterruptedException e) {
        return;
      }
      long used = pool.getUsage().getUsed();
      long live = pool.getCollectionUsage() == null ? 0 : pool.getCollectionUsage().getUsed();
      long sinceMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastCollection);
      if (due(used, live, sinceMs)) {
        lastCollection = System.nanoTime();
        System.gc();
        LOG.debug("old generation collected: {} MiB used, {} MiB live before, {} MiB after", used >> 20, live >> 20,
            pool.getCollectionUsage().getUsed() >> 20);
      }
    }
  }
}
