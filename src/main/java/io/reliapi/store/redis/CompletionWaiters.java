package io.reliapi.store.redis;

import io.reliapi.store.IdempotencyRecord;
import io.reliapi.time.Clock;
import io.reliapi.time.Scheduler;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The requests of this instance waiting for idempotency claims to end. Completions and releases are
 * announced on one pub/sub channel ({@code 1} or {@code 0}, then the record's Redis key); this instance
 * listens on a connection of its own and wakes its waiters of that key, which then read the record once. A
 * waiter also wakes when its time runs out, and every waiter re-reads its key after the channel or Redis
 * was away, so no completion is missed. Waiting is never polling. In a Redis Cluster a message published on
 * any node reaches every node, so one subscription on any node hears all of them.
 */
final class CompletionWaiters {
  static final String CHANNEL_NAME = "idem:signals";
  static final char DONE = '1';
  static final char RELEASED = '0';
  /**
   * How much longer than a third of a lease a waiter whose key Redis lost waits after Redis came back: time for the
   * holder's renewal (one every third of a lease, whichever instance it runs on) to reach Redis and re-assert it.
   */
  static final long REASSERT_MARGIN_MS = 1_000;

  private final Clock clock;
  private final Scheduler scheduler;
  /** How long past a re-read a waiter whose key Redis lost waits: a third of a lease + {@link #REASSERT_MARGIN_MS}. */
  private final long reassertWithinNanos;
  private final Function<String, Future<KeyRead>> read;
  private final Map<String, Set<Waiter>> waiters = new ConcurrentHashMap<>();
  private final Signals signals;
  private final String channel;

  /** What a key holds as read: its record, if any, and whether it is a released key's marker. */
  record KeyRead(Optional<IdempotencyRecord> record, boolean released) {}

  CompletionWaiters(RedisLink link, Clock clock, Scheduler scheduler, long leaseMs,
      Function<String, Future<KeyRead>> read) {
    this.clock = clock;
    this.scheduler = scheduler;
    this.reassertWithinNanos = TimeUnit.MILLISECONDS.toNanos(leaseMs / 3 + REASSERT_MARGIN_MS);
    this.read = read;
    this.channel = link.channel(CHANNEL_NAME);
    this.signals = new Signals(link, channel, this::signalled, this::recheckAll);
    link.onRecovery(this::recheckAll);
  }

  /** Starts listening; the future completes once the first subscription is up. */
  Future<Void> start() {
    return signals.start();
  }

  /** Returns the channel completions and releases are announced on. */
  String channel() {
    return channel;
  }

  Future<Void> close() {
    return signals.close();
  }

  /** See {@link io.reliapi.store.IdempotencyStore#await}. */
  Future<Optional<IdempotencyRecord>> await(String recordKey, long timeoutMs, Future<?> stop) {
    Waiter waiter = new Waiter(recordKey);
    // Registered before reading, so a completion between the read and the wait is not missed.
    waiters.computeIfAbsent(recordKey, k -> ConcurrentHashMap.newKeySet()).add(waiter);
    int armed = waiter.arm(Math.max(0, timeoutMs));
    waiter.promise.future().onComplete(done -> {
      waiter.disarm();
      waiters.computeIfPresent(recordKey, (k, set) -> {
        set.remove(waiter);
        return set.isEmpty() ? null : set;
      });
    });
    stop.onComplete(stopped -> waiter.promise.tryFail(new CancellationException("the waiting request is gone")));
    record(recordKey).onComplete(current -> {
      if (current.failed() || current.result().isEmpty() || current.result().get() instanceof IdempotencyRecord.Done) {
        waiter.settle(armed, current);
      }
    });
    return waiter.promise.future();
  }

  private Future<Optional<IdempotencyRecord>> record(String recordKey) {
    return read.apply(recordKey).map(KeyRead::record);
  }

  /** Returns how many requests wait now. */
  int waiting() {
    return waiters.values().stream().mapToInt(Set::size).sum();
  }

  /** Handles a completion message: a released key wakes its waiters with nothing, a finished one with its record. */
  private void signalled(String message) {
    if (message.isEmpty()) {
      return;
    }
    String recordKey = message.substring(1);
    if (!waiters.containsKey(recordKey)) {
      return;
    }
    if (message.charAt(0) == RELEASED) {
      wake(recordKey, Optional.empty());
    } else {
      record(recordKey).onSuccess(record -> wake(recordKey, record));
    }
  }

  /**
   * Re-reads every key waited on: completions and releases announced while no subscription was up are not missed. A
   * key with no record at all is not taken for a release: Redis may have lost the claim while away (a restart without
   * persistence), and its holder, if alive, re-asserts it at its next renewal, within a third of a lease of Redis
   * answering again. Its waiters therefore wait at least that long from now (plus {@link #REASSERT_MARGIN_MS}), however
   * soon their own timers were due: woken earlier, a waiter would claim the key and execute it a second time. That is
   * measured on the monotonic clock (a wall clock stepped back would skip it). Every time Redis comes back may extend a
   * wait again, but in total to its original end plus the same time at most, so a channel that comes back again and
   * again does not keep a waiter on a key whose holder is dead forever.
   */
  private void recheckAll() {
    // Reads already on their way (a timer that fired as Redis came back) may be answered before the re-reads and find
    // the lost key empty: a new generation makes them stale, so the re-read decides.
    waiters.values().forEach(waiting -> List.copyOf(waiting).forEach(Waiter::rearm));
    for (String recordKey : waiters.keySet()) {
      read.apply(recordKey).onSuccess(read -> {
        if (read.released() || read.record().isPresent() && read.record().get() instanceof IdempotencyRecord.Done) {
          wake(recordKey, read.record());
        } else if (read.record().isEmpty()) {
          long notBefore = clock.nanoTime() + reassertWithinNanos;
          Set<Waiter> waiting = waiters.get(recordKey);
          if (waiting != null) {
            List.copyOf(waiting).forEach(waiter -> waiter.notBefore(notBefore));
          }
        }
      });
    }
  }

  private void wake(String recordKey, Optional<IdempotencyRecord> record) {
    Set<Waiter> waiting = waiters.get(recordKey);
    if (waiting != null) {
      List.copyOf(waiting).forEach(waiter -> waiter.promise.tryComplete(record));
    }
  }

  /**
   * One waiting request: its answer, and the timer that ends its wait with the record as it is then. Each arming has a
   * generation, and Redis coming back re-arms every wait before its keys are re-read; a read taken under an earlier one (a
   * timer that fired just as Redis came back) may find the lost key empty, whether answered before the re-read or
   * after, and is not taken for an answer unless it found the key done.
   */
  private final class Waiter {
    final Promise<Optional<IdempotencyRecord>> promise = Promise.promise();
    private final String recordKey;
    private Scheduler.Cancellable timer;
    private int generation;
    private long dueAtNanos;
    private long latestDueAtNanos;

    Waiter(String recordKey) {
      this.recordKey = recordKey;
    }

    /** Arms the wait's own timer and returns its generation, for a read taken now. */
    synchronized int arm(long delayMs) {
      dueAtNanos = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs);
      latestDueAtNanos = dueAtNanos + reassertWithinNanos;
      return schedule(delayMs);
    }

    private int schedule(long delayMs) {
      int armed = ++generation;
      timer = scheduler.schedule(delayMs, () -> record(recordKey).onComplete(read -> settle(armed, read)));
      return armed;
    }

    /** Answers the wait with {@code read}, taken under generation {@code armed}, unless it is stale. */
    synchronized void settle(int armed, AsyncResult<Optional<IdempotencyRecord>> read) {
      boolean done = read.succeeded() && read.result().orElse(null) instanceof IdempotencyRecord.Done;
      if (!done && armed != generation) {
        return;
      }
      if (read.succeeded()) {
        promise.tryComplete(read.result());
      } else {
        promise.tryFail(read.cause());
      }
    }

    /** Re-arms the wait at its current end, so reads taken under earlier generations are stale. */
    synchronized void rearm() {
      if (!promise.future().isComplete()) {
        timer.cancel();
        schedule(Math.max(0, Math.ceilDiv(dueAtNanos - clock.nanoTime(), TimeUnit.MILLISECONDS.toNanos(1))));
      }
    }

    /** Makes the wait end no earlier than {@code atNanos} (monotonic clock), yet no later than its latest end. */
    synchronized void notBefore(long atNanos) {
      long until = Math.min(atNanos, latestDueAtNanos);
      if (!promise.future().isComplete() && dueAtNanos < until) {
        timer.cancel();
        dueAtNanos = until;
        schedule(Math.ceilDiv(until - clock.nanoTime(), TimeUnit.MILLISECONDS.toNanos(1)));
      }
    }

    synchronized void disarm() {
      timer.cancel();
    }
  }
}
