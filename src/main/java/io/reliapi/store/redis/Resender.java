package io.reliapi.store.redis;

import io.reliapi.time.Clock;
import io.reliapi.time.Scheduler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Sends an idempotent Redis command again until Redis answers it: a settlement whose answer was lost, or
 * the release of a claim whose caller never got its answer. Pauses grow from {@link RedisHealth#PROBE_MS}
 * to {@link #MAX_PAUSE_MS}, through the gateway's scheduler, and it gives up at a deadline. Bounded: past
 * {@link #MAX_PENDING} commands waiting to be sent again, more are dropped (and left to their lease).
 */
final class Resender {
  static final long MAX_PAUSE_MS = 5_000;
  /** How long a settlement, or the release of what a lost answer may have left, is sent again at most. */
  static final long RESEND_FOR_MS = 15 * 60_000;
  static final int MAX_PENDING = 10_000;

  private final Scheduler scheduler;
  private final Clock clock;
  private final AtomicInteger pending = new AtomicInteger();

  Resender(Scheduler scheduler, Clock clock) {
    this.scheduler = scheduler;
    this.clock = clock;
  }

  /** Sends {@code command} now and again until it is answered; the future completes with that answer. */
  <T> Future<T> untilAnswered(Supplier<Future<T>> command, long giveUpAtMillis) {
    return command.get().recover(failure -> again(command, giveUpAtMillis, failure));
  }

  /** Sends {@code command}, whose first sending failed with {@code failure}, again until it is answered. */
  <T> Future<T> again(Supplier<Future<T>> command, long giveUpAtMillis, Throwable failure) {
    return later(command, giveUpAtMillis, RedisHealth.PROBE_MS, failure);
  }

  private <T> Future<T> later(Supplier<Future<T>> command, long giveUpAtMillis, long pauseMs, Throwable failure) {
    if (clock.epochMillis() + pauseMs >= giveUpAtMillis) {
      return Future.failedFuture(failure);
    }
    if (pending.incrementAndGet() > MAX_PENDING) {
      pending.decrementAndGet();
      return Future.failedFuture(failure);
    }
    Promise<T> answered = Promise.promise();
    scheduler.schedule(pauseMs, () -> {
      pending.decrementAndGet();
      command.get().recover(again -> later(command, giveUpAtMillis, Math.min(MAX_PAUSE_MS, 2 * pauseMs), again))
          .onComplete(answered);
    });
    return answered.future();
  }

  int pending() {
    return pending.get();
  }
}
