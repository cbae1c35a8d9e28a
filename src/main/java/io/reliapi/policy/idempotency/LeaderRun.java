package io.reliapi.policy.idempotency;

import io.reliapi.http.Reply;
import io.reliapi.pipeline.Chain;
import io.reliapi.pipeline.Exchange;
import io.reliapi.policy.CarriedOn;
import io.reliapi.policy.StoredCopy;
import io.reliapi.store.IdempotencyStore;
import io.reliapi.store.Outcome;
import io.reliapi.store.StoredReply;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Runs the request that holds a key's claim and records how it ended, for the requests waiting on it and
 * those that come later. A reply worth keeping is copied as it streams to the client, so storing it never
 * delays the answer; an LLM stream keeps the key in progress until it ended, so duplicates wait for it and
 * then replay it.
 */
final class LeaderRun {
  private final IdempotencyStore store;
  private final HeldClaim held;
  private final long ttlMs;
  /** Keeps a short lease alive while the request runs; null when the lease covers its whole life. */
  private final LeaseRenewal renewal;
  private final Clock clock;
  /** Runs once the request's outcome is known (a stream's, at its end). */
  private final Runnable settled;

  LeaderRun(IdempotencyStore store, HeldClaim held, long ttlMs, LeaseRenewal renewal, Clock clock, Runnable settled) {
    this.store = store;
    this.held = held;
    this.ttlMs = ttlMs;
    this.renewal = renewal;
    this.clock = clock;
    this.settled = settled;
  }

  /** Sends {@code exchange} on, with {@code key} in {@code forwardHeader} when one is configured. */
  Future<Reply> execute(Exchange exchange, Chain next, String key, Optional<String> forwardHeader, long maxStoredBytes) {
    Exchange sent = forwardHeader
        .map(header -> exchange.withCall(exchange.call().withHeaders(exchange.call().headers().with(header, key))))
        .orElse(exchange);
    boolean forwarded = forwardHeader.isPresent();
    return next.proceed(sent).transform(done -> {
      boolean mayHaveTakenEffect = exchange.trace().mayHaveTakenEffect();
      if (done.failed()) {
        settle(Settlement.afterFailure(done.cause(), mayHaveTakenEffect, forwarded), null);
        return Future.failedFuture(done.cause());
      }
      Reply reply = done.result();
      Settlement settlement = Settlement.afterReply(reply, mayHaveTakenEffect, forwarded);
      if (settlement != Settlement.STORE) {
        settle(settlement, null);
        return Future.succeededFuture(reply);
      }
      StoredCopy copy = StoredCopy.of(reply, maxStoredBytes, clock, exchange.context().buffered());
      copy.result().onSuccess(kept -> {
        switch (kept) {
          case StoredCopy.Stored stored -> settle(Settlement.STORE, stored.reply());
          case StoredCopy.NotKept notKept -> settle(Settlement.NOT_STORED, null);
          case StoredCopy.BrokenStream broken -> settle(Settlement.afterBrokenStream(forwarded), null);
        }
      });
      return Future.succeededFuture(CarriedOn.readWhenDropped(copy));
    });
  }

  /**
   * Records how the request ended; a store that cannot be reached leaves the key to its lease. A completion refused
   * because another request holds the key is a lost claim ({@link HeldClaim#lost}); a release refused is not: the
   * request did not take effect.
   */
  private void settle(Settlement settlement, StoredReply stored) {
    settled.run();
    if (renewal != null) {
      renewal.stop();
    }
    switch (settlement) {
      case STORE -> complete(new Outcome.Replied(stored));
      case RELEASE -> store.release(held.scope, held.owner);
      case UNKNOWN -> complete(new Outcome.Unknown());
      case NOT_STORED -> complete(new Outcome.NotStored());
    }
  }

  private void complete(Outcome outcome) {
    store.complete(held.scope, held.owner, held.fingerprint, outcome, ttlMs, held.reassertUntilMillis()).onSuccess(stored -> {
      if (!stored) {
        held.lost("seen at completion");
      }
    });
  }
}
