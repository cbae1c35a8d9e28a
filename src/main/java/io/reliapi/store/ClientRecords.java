package io.reliapi.store;

import io.reliapi.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The idempotency records of one gateway instance, kept per client: how many claims each client has in
 * progress, and its finished records until their TTL ends. A client holds at most its quota of records
 * (claims and finished ones together); a claim beyond it is not reserved. All finished records together
 * are bounded by bytes: past the bound, the client holding the most bytes gives up its records that
 * expire soonest, so a client flooding keys evicts its own records, never those of a client holding less.
 */
final class ClientRecords {
  private final Clock clock;
  private final long maxBytes;
  private final Map<String, Shelf> shelves = new ConcurrentHashMap<>();
  private final AtomicLong totalBytes = new AtomicLong();
  private final AtomicLong sequence = new AtomicLong();

  ClientRecords(Clock clock, long maxBytes) {
    this.clock = clock;
    this.maxBytes = maxBytes;
  }

  /** Counts a new claim of {@code client}, unless it already holds {@code maxRecords}; returns whether it did. */
  boolean reserve(String client, long maxRecords) {
    Shelf shelf = shelf(client);
    synchronized (shelf) {
      purge(shelf);
      if (shelf.running + shelf.byId.size() >= maxRecords) {
        return false;
      }
      shelf.running++;
      return true;
    }
  }

  /** Stops counting a claim of {@code client} that ended without a finished record. */
  void unreserve(String client) {
    Shelf shelf = shelf(client);
    synchronized (shelf) {
      shelf.running = Math.max(0, shelf.running - 1);
    }
  }

  /**
   * Keeps the finished record of {@code owner}'s claim of {@code client} (counted already) for {@code ttlMs}, with its
   * owner, so a completion sent again finds its own ({@link #finishedBy}).
   */
  void finish(IdempotencyScope scope, String owner, IdempotencyRecord.Done done, long ttlMs) {
    Shelf shelf = shelf(scope.client());
    String id = scope.id();
    long weight = 2L * id.length() + 48 + 2L * (done.fingerprint().length() + owner.length())
        + done.outcome().weight();
    Kept kept = new Kept(id, owner, done, clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(1, ttlMs)),
        weight, sequence.incrementAndGet());
    synchronized (shelf) {
      shelf.running = Math.max(0, shelf.running - 1);
      shelf.remove(shelf.byId.get(id), totalBytes);
      shelf.byId.put(id, kept);
      shelf.byExpiry.add(kept);
      shelf.bytes += weight;
      totalBytes.addAndGet(weight);
    }
  }

  /** Returns the live finished record of {@code scope}, or null. */
  IdempotencyRecord.Done get(IdempotencyScope scope) {
    Kept kept = kept(scope);
    return kept == null ? null : kept.done();
  }

  /** Returns whether {@code scope}'s live finished record is the outcome of {@code owner}'s claim. */
  boolean finishedBy(IdempotencyScope scope, String owner) {
    Kept kept = kept(scope);
    return kept != null && kept.owner().equals(owner);
  }

  private Kept kept(IdempotencyScope scope) {
    Shelf shelf = shelves.get(scope.client());
    if (shelf == null) {
      return null;
    }
    synchronized (shelf) {
      Kept kept = shelf.byId.get(scope.id());
      if (kept == null || kept.expiresAtNanos() <= clock.nanoTime()) {
        shelf.remove(kept, totalBytes);
        return null;
      }
      return kept;
    }
  }

  /** Returns how soon the first of {@code client}'s finished records ends, in ms (1 s when none is finished). */
  long firstEndsInMs(String client) {
    Shelf shelf = shelf(client);
    synchronized (shelf) {
      purge(shelf);
      return shelf.byExpiry.isEmpty() ? 1_000
          : Math.max(1, TimeUnit.NANOSECONDS.toMillis(shelf.byExpiry.first().expiresAtNanos() - clock.nanoTime()));
    }
  }

  /** Evicts records, from the client holding the most bytes each time, until all fit in the byte bound. */
  synchronized void trim() {
    while (totalBytes.get() > maxBytes) {
      Shelf heaviest = shelves.values().stream().max(Comparator.comparingLong(s -> s.bytes)).orElse(null);
      if (heaviest == null) {
        return;
      }
      synchronized (heaviest) {
        purge(heaviest);
        if (heaviest.byExpiry.isEmpty()) {
          return;
        }
        heaviest.remove(heaviest.byExpiry.first(), totalBytes);
      }
    }
  }

  /** Returns the bytes the finished records are estimated to hold. */
  long weightedSize() {
    shelves.values().forEach(shelf -> {
      synchronized (shelf) {
        purge(shelf);
      }
    });
    return totalBytes.get();
  }

  private Shelf shelf(String client) {
    return shelves.computeIfAbsent(client, c -> new Shelf());
  }

  /** Drops a shelf's records whose TTL has ended; the caller holds the shelf's lock. */
  private void purge(Shelf shelf) {
    long now = clock.nanoTime();
    while (!shelf.byExpiry.isEmpty() && shelf.byExpiry.first().expiresAtNanos() <= now) {
      shelf.remove(shelf.byExpiry.first(), totalBytes);
    }
  }

  /** One finished record and when it ends ({@link Clock#nanoTime()}); {@code seq} orders equal ends. */
  private record Kept(String id, String owner, IdempotencyRecord.Done done, long expiresAtNanos, long weight,
      long seq) {}

  /** One client's records; guarded by itself. */
  private static final class Shelf {
    final Map<String, Kept> byId = new HashMap<>();
    final TreeSet<Kept> byExpiry = new TreeSet<>(
        Comparator.comparingLong(Kept::expiresAtNanos).thenComparingLong(Kept::seq));
    int running;
    volatile long bytes;

    void remove(Kept kept, AtomicLong totalBytes) {
      if (kept != null && byId.remove(kept.id(), kept)) {
        byExpiry.remove(kept);
        bytes -= kept.weight();
        totalBytes.addAndGet(-kept.weight());
      }
    }
  }
}
