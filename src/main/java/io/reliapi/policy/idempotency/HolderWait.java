package io.reliapi.policy.idempotency;

import io.reliapi.error.GatewayException;
import io.reliapi.pipeline.BackOnContext;
import io.reliapi.pipeline.Cancellation;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.StoreOutage;
import io.reliapi.pipeline.TrailEntry;
import io.reliapi.policy.CarriedOn;
import io.reliapi.store.IdempotencyRecord;
import io.reliapi.store.IdempotencyScope;
import io.reliapi.store.IdempotencyStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@link KeyedRequest}'s waits for the request holding its key, all within one coalescing bound: the first is
 * noted in the trail, and a stream's is counted with {@link StreamLeads}, once for all its waits, so that its holder,
 * whichever request that is, reads on for it. What the key holds after a wait is the keyed request's to decide.
 */
final class HolderWait {
  private final IdempotencyStage stage;
  private final Exchange exchange;
  private final IdempotencyScope scope;
  private final long untilNanos;
  /** The request's token as a waiter, one for its whole wait however many holders it waits on. */
  private final String waiter;
  private boolean waited;
  /** How this request is counted waiting on a stream led for its key (StreamLeads); null until it is. */
  private StreamLeads.Waiting counted;

  HolderWait(IdempotencyStage stage, Exchange exchange, IdempotencyScope scope, long untilNanos) {
    this.stage = stage;
    this.exchange = exchange;
    this.scope = scope;
    this.untilNanos = untilNanos;
    this.waiter = ClaimTokens.next(exchange.context().requestId());
  }

  /** Returns the request's token as a waiter (a lead it takes counts every waiter but this one). */
  String waiter() {
    return waiter;
  }

  /** Returns whether the request waited for a holder at all. */
  boolean waited() {
    return waited;
  }

  /** Ends the request's waiting: a stream led for its key no longer reads on for it. */
  void stop() {
    if (counted != null) {
      counted.stop();
    }
  }

  /**
   * Waits for the request holding the key in {@code store}, at most until the coalescing bound, and returns
   * what the key holds then (empty once released). The wait also ends when the holder's lease would run out
   * (and it was seen unrenewed long enough), to see whether it was renewed or its holder is gone.
   */
  Future<Optional<IdempotencyRecord>> next(IdempotencyStore store, IdempotencyRecord.InProgress running,
      long unrenewedForMs) {
    long leftMs = TimeUnit.NANOSECONDS.toMillis(untilNanos - stage.clock.nanoTime());
    if (!waited) {
      waited = true;
      exchange.trace().note(new TrailEntry.Idempotency("wait"));
    }
    if (CarriedOn.stream(exchange) && leftMs > 0 && counted == null) {
      // The key's holder runs a stream too (same fingerprint), read on past its client's hang-up for those counted
      // waiting: this request is counted before it waits, so that holder never misses it, and for its whole wait, so
      // whoever holds the key next counts it too.
      return BackOnContext.of(stage.streamLeads.waiting(scope, store, waiter, leftMs))
          .compose(waiting -> {
            counted = waiting;
            return next(store, running, unrenewedForMs);
          });
    }
    if (leftMs <= 0) {
      return Future.failedFuture(IdempotencyRefusals.inProgress());
    }
    long untilLeaseEndsMs = Math.max(1,
        Math.max(store.leaseLeftMs(running) + 1, unrenewedForMs));
    Cancellation cancellation = exchange.context().cancellation();
    Promise<Void> hungUp = Promise.promise();
    Runnable unlisten = cancellation.onCancel(hungUp::tryComplete);
    Future<Optional<IdempotencyRecord>> ended = store.await(scope, Math.min(leftMs, untilLeaseEndsMs), hungUp.future());
    return BackOnContext.of(ended).transform(done -> {
      unlisten.run();
      // A waiter whose client hung up stops at once: it holds nothing and never leads the key in its place.
      if (cancellation.cancelled()) {
        return Future.failedFuture(GatewayException.clientGone(false));
      }
      return StoreOutage.failClosed(done.succeeded() ? Future.succeededFuture(done.result())
          : Future.<Optional<IdempotencyRecord>>failedFuture(done.cause()));
    });
  }
}
