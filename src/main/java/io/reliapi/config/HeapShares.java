package io.reliapi.config;

import java.util.Optional;

/**
 * How the memory bounds that default from the heap share it, and whether explicit ones overcommit it. The response
 * cache and the idempotency records (in-memory state) each default to an eighth of the maximum heap, at most 256 MiB,
 * and the budget of buffered bytes to a quarter: half the heap for what requests bring, the other half for the
 * runtime (vocabularies, buffers of streams and connections, the collector's room). Fixed defaults of 256 MiB each
 * overcommitted a small container's heap (a 1 GiB container gets a 256 MiB heap), which ends in the JVM exiting on
 * an out-of-memory error with every request in flight.
 */
public final class HeapShares {
  static final long STORE_DEFAULT_MAX = 256L * 1024 * 1024;
  private static final long MIB = 1024 * 1024;

  private HeapShares() {}

  /** The default bound of the in-memory response cache, and of the finished idempotency records, each. */
  public static long storeDefault(long maxHeap) {
    return Math.max(1024, Math.min(STORE_DEFAULT_MAX, maxHeap / 8));
  }

  /** The default budget of bytes buffered for requests in flight. */
  public static long bufferedDefault(long maxHeap) {
    return Math.max(1024, maxHeap / 4);
  }

  /**
   * Returns a warning when {@code server}'s bounds, those that take heap in this process, add up to more than
   * three quarters of {@code maxHeap}; the stores count only when they are in memory ({@code inMemoryState}).
   */
  public static Optional<String> overcommitted(ServerConfig server, boolean inMemoryState, long maxHeap) {
    long stores = inMemoryState ? server.cacheMaxBytes() + server.idempotencyMaxBytes() : 0;
    long sum = stores + server.maxBufferedBytes();
    if (sum <= maxHeap / 4 * 3) {
      return Optional.empty();
    }
    String what = inMemoryState
        ? "server.cache_max_bytes + server.idempotency_max_bytes + server.max_buffered_bytes"
        : "server.max_buffered_bytes";
    return Optional.of(what + " (" + sum / MIB + " MiB) exceed three quarters of the maximum heap (" + maxHeap / MIB
        + " MiB): under load the process may run out of memory and exit; give it a larger heap (-Xmx in"
        + " RELIAPI_JAVA_OPTS) or lower them");
  }
}
