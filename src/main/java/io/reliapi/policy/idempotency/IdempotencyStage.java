package io.reliapi.policy.idempotency;

import io.reliapi.config.IdempotencyConfig;
import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.reliapi.http.BodyCopy;
import io.reliapi.http.Reply;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.BackOnContext;
import io.reliapi.pipeline.Chain;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.Stage;
import io.reliapi.store.Claim;
import io.reliapi.store.IdempotencyRecord;
import io.reliapi.store.IdempotencyStore;
import io.reliapi.store.Outcome;
import io.reliapi.store.StoredReply;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;

/**
 * Executes each keyed request at most once per (client, target, key) (SPEC §3.4). The first request
 * claims the key and runs; identical requests arriving meanwhile wait for its outcome and get it too;
 * later ones get the stored outcome, or an error when it could not be kept. A different request under the
 * same key is a conflict. Requests without a key pass straight through.
 */
public final class IdempotencyStage implements Stage {
  /** How long a claim outlives its request's deadline before the holder is presumed dead. */
  static final long LEASE_GRACE_MS = 60_000;
  static final long IN_PROGRESS_RETRY_AFTER_S = 1;

  private final IdempotencyStore store;
  private final Clock clock;
  private final GatewayEvents events;
  private final long maxStoredBytes;

  public IdempotencyStage(IdempotencyStore store, Clock clock, GatewayEvents events, long maxStoredBytes) {
    this.store = store;
    this.clock = clock;
    this.events = events;
    this.maxStoredBytes = maxStoredBytes;
  }

  @Override
  public Future<Reply> handle(Exchange exchange, Chain next) {
    return exchange.context().idempotencyKey()
        .map(key -> new Keyed(exchange, next, key).claim())
        .orElseGet(() -> next.proceed(exchange));
  }

  /** One keyed request on its way: claim, then lead, wait or replay. */
  private final class Keyed {
    private final Exchange exchange;
    private final Chain next;
    private final String key;
    private final String scope;
    private final String fingerprint;
    private final IdempotencyConfig config;
    private final long waitUntilNanos;

    Keyed(Exchange exchange, Chain next, String key) {
      this.exchange = exchange;
      this.next = next;
      this.key = key;
      this.scope = IdempotencyScope.of(exchange.context().caller().name(), exchange.target().name(), key);
      this.fingerprint = Fingerprint.of(exchange);
      this.config = exchange.target().idempotency();
      this.waitUntilNanos = Math.min(exchange.context().deadlineNanos(),
          clock.nanoTime() + TimeUnit.SECONDS.toNanos(config.coalesceTimeoutS()));
    }

    Future<Reply> claim() {
      long leaseMs = Math.max(0, TimeUnit.NANOSECONDS.toMillis(exchange.context().deadlineNanos() - clock.nanoTime()))
          + LEASE_GRACE_MS;
      return BackOnContext.of(store.claim(scope, fingerprint, leaseMs)).compose(claim -> switch (claim) {
        case Claim.Leader leader -> lead(leader.owner());
        case Claim.Existing existing -> found(existing.record(), false);
      });
    }

    private Future<Reply> found(IdempotencyRecord record, boolean waited) {
      if (!record.fingerprint().equals(fingerprint)) {
        return fail(ErrorCode.IDEMPOTENCY_CONFLICT, "This idempotency key was already used with a different request.");
      }
      return switch (record) {
        case IdempotencyRecord.InProgress running when running.leaseExpired(clock.epochMillis()) -> unknown();
        case IdempotencyRecord.InProgress running -> await();
        case IdempotencyRecord.Done done -> {
          if (waited) {
            events.coalesced(exchange.target().name());
          }
          yield replay(done.outcome());
        }
      };
    }

    /** Waits for the request holding the key; a released key is claimed again, so one waiter leads. */
    private Future<Reply> await() {
      long leftMs = TimeUnit.NANOSECONDS.toMillis(waitUntilNanos - clock.nanoTime());
      if (leftMs <= 0) {
        return inProgress();
      }
      return BackOnContext.of(store.await(scope, leftMs)).compose(ended -> {
        if (ended.isEmpty()) {
          return claim();
        }
        if (ended.get() instanceof IdempotencyRecord.InProgress running && !running.leaseExpired(clock.epochMillis())) {
          return inProgress();
        }
        return found(ended.get(), true);
      });
    }

    private Future<Reply> replay(Outcome outcome) {
      return switch (outcome) {
        case Outcome.Replied replied -> {
          exchange.trace().idempotentHit(true);
          events.idempotentReplay(exchange.target().name());
          yield Future.succeededFuture(replied.reply().toReply());
        }
        case Outcome.Unknown unknown -> unknown();
        case Outcome.NotStored notStored -> fail(ErrorCode.IDEMPOTENCY_RESPONSE_NOT_STORED,
            "The first request with this idempotency key was executed, but its response could not be kept.");
      };
    }

    private Future<Reply> lead(String owner) {
      Exchange sent = config.forwardHeader()
          .map(header -> exchange.withCall(exchange.call().withHeaders(exchange.call().headers().with(header, key))))
          .orElse(exchange);
      boolean forwarded = config.forwardHeader().isPresent();
      return next.proceed(sent).transform(done -> {
        boolean mayHaveTakenEffect = exchange.trace().mayHaveTakenEffect();
        if (done.failed()) {
          settle(owner, Settlement.afterFailure(done.cause(), mayHaveTakenEffect, forwarded), null);
          return Future.failedFuture(done.cause());
        }
        Reply reply = done.result();
        Settlement settlement = Settlement.afterReply(reply, mayHaveTakenEffect, forwarded);
        if (settlement != Settlement.STORE) {
          settle(owner, settlement, null);
          return Future.succeededFuture(reply);
        }
        BodyCopy.Copy copy = BodyCopy.of(reply.body(), maxStoredBytes);
        copy.bytes().onComplete(bytes -> {
          if (bytes.succeeded()) {
            settle(owner, Settlement.STORE,
                new StoredReply(reply.status(), reply.headers(), bytes.result(), clock.epochMillis()));
          } else {
            settle(owner, Settlement.NOT_STORED, null);
          }
        });
        return Future.succeededFuture(reply.withBody(copy.body()));
      });
    }

    private void settle(String owner, Settlement settlement, StoredReply stored) {
      long ttlMs = TimeUnit.SECONDS.toMillis(config.ttlS());
      switch (settlement) {
        case STORE -> store.complete(scope, owner, new Outcome.Replied(stored), ttlMs);
        case RELEASE -> store.release(scope, owner);
        case UNKNOWN -> store.complete(scope, owner, new Outcome.Unknown(), ttlMs);
        case NOT_STORED -> store.complete(scope, owner, new Outcome.NotStored(), ttlMs);
      }
    }

    private Future<Reply> unknown() {
      return fail(ErrorCode.IDEMPOTENCY_OUTCOME_UNKNOWN,
          "The outcome of the first request with this idempotency key is unknown, so it is not executed again.");
    }

    private Future<Reply> inProgress() {
      return Future.failedFuture(GatewayException.of(ErrorCode.IDEMPOTENCY_IN_PROGRESS,
          "A request with this idempotency key is still in progress; retry later.")
          .withRetryAfter(IN_PROGRESS_RETRY_AFTER_S));
    }

    private static Future<Reply> fail(ErrorCode code, String message) {
      return Future.failedFuture(GatewayException.of(code, message));
    }
  }
}
