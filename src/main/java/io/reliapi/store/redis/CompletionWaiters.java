package io.reliapi.store.redis;

import io.reliapi.store.IdempotencyRecord;
import io.reliapi.time.Scheduler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
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

  private final Scheduler scheduler;
  private final Function<String, Future<Optional<IdempotencyRecord>>> read;
  private final Map<String, Set<Promise<Optional<IdempotencyRecord>>>> waiters = new ConcurrentHashMap<>();
  private final Signals signals;
  private final String channel;

  CompletionWaiters(RedisLink link, Scheduler scheduler, Function<String, Future<Optional<IdempotencyRecord>>> read) {
    this.scheduler = scheduler;
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
    Promise<Optional<IdempotencyRecord>> waiter = Promise.promise();
    // Registered before reading, so a completion between the read and the wait is not missed.
    waiters.computeIfAbsent(recordKey, k -> ConcurrentHashMap.newKeySet()).add(waiter);
    Scheduler.Cancellable timer = scheduler.schedule(Math.max(0, timeoutMs),
        () -> read.apply(recordKey).onSuccess(waiter::tryComplete).onFailure(waiter::tryFail));
    waiter.future().onComplete(done -> {
      timer.cancel();
      waiters.computeIfPresent(recordKey, (k, set) -> {
        set.remove(waiter);
        return set.isEmpty() ? null : set;
      });
    });
    stop.onComplete(stopped -> waiter.tryFail(new CancellationException("the waiting request is gone")));
    read.apply(recordKey).onComplete(current -> {
      if (current.failed()) {
        waiter.tryFail(current.cause());
      } else if (current.result().isEmpty() || current.result().get() instanceof IdempotencyRecord.Done) {
        waiter.tryComplete(current.result());
      }
    });
    return waiter.future();
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
      read.apply(recordKey).onSuccess(record -> wake(recordKey, record));
    }
  }

  /**
   * Re-reads every key waited on: completions announced while no subscription was up are not missed. A key found
   * with no record is left to its waiters' own timers (they end when the lease they saw would): Redis may have lost
   * the claim while away (a restart without persistence), and its holder, if alive, re-asserts it at its next
   * renewal, well within that lease; woken now, a waiter would claim the key and execute it a second time.
   */
  private void recheckAll() {
    for (String recordKey : waiters.keySet()) {
      read.apply(recordKey).onSuccess(record -> {
        if (record.isPresent() && record.get() instanceof IdempotencyRecord.Done) {
          wake(recordKey, record);
        }
      });
    }
  }

  private void wake(String recordKey, Optional<IdempotencyRecord> record) {
    Set<Promise<Optional<IdempotencyRecord>>> waiting = waiters.get(recordKey);
    if (waiting != null) {
      List.copyOf(waiting).forEach(waiter -> waiter.tryComplete(record));
    }
  }
}
