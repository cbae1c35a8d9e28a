package io.reliapi.policy.idempotency;

import io.reliapi.config.IdempotencyConfig;
import io.reliapi.http.Reply;
import io.reliapi.pipeline.Chain;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.RequestContext;
import io.reliapi.pipeline.StoreOutage;
import io.reliapi.pipeline.TrailEntry;
import io.reliapi.policy.CarriedOn;
import io.reliapi.store.Claim;
import io.reliapi.store.ClaimRequest;
import io.reliapi.store.IdempotencyRecord;
import io.reliapi.store.IdempotencyScope;
import io.reliapi.store.IdempotencyStore;
import io.reliapi.store.Outcome;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/** One keyed request on its way through {@link IdempotencyStage}: claim, then lead, wait or replay. */
final class KeyedRequest {
  private final IdempotencyStage stage;
  private final Exchange exchange;
  private final Chain next;
  private final String key;
  private final IdempotencyScope scope;
  private final String fingerprint;
  private final IdempotencyConfig config;
  private final long ttlMs;
  private final HolderWait holderWait;
  /** The store this request's key lives in: the shared one, or the local one when degraded. */
  private IdempotencyStore store;
  /** The lease end of the latest claim attempt as it was sent (gateway clock, epoch ms): a lease it won ends no earlier. */
  private long attemptLeaseEndsAtMillis;
  /** The request's event loop, where a stream it leads is stopped. */
  private final Context context = Vertx.currentContext();

  KeyedRequest(IdempotencyStage stage, Exchange exchange, Chain next, String key) {
    this.stage = stage;
    this.exchange = exchange;
    this.next = next;
    this.key = key;
    this.scope = new IdempotencyScope(exchange.context().caller().name(), exchange.target().name(), key);
    this.fingerprint = Fingerprint.of(exchange);
    this.config = exchange.target().idempotency();
    this.ttlMs = TimeUnit.SECONDS.toMillis(config.ttlS());
    this.holderWait = new HolderWait(stage, exchange, scope, Math.min(exchange.context().deadlineNanos(),
        stage.clock.nanoTime() + TimeUnit.SECONDS.toNanos(config.coalesceTimeoutS())));
  }

  Future<Reply> start() {
    return StoreOutage.run(stage.stores, exchange.trace(), s -> s.claim(attempt(s)).map(claim -> new Chosen(s, claim)))
        .compose(chosen -> {
          store = chosen.store();
          return decide(chosen.claim());
        })
        .onComplete(done -> holderWait.stop());
  }

  private Future<Reply> claim() {
    return StoreOutage.failClosed(store.claim(attempt(store))).compose(this::decide);
  }

  /** Returns a new attempt to claim the key in {@code s}, with a token of its own. */
  private ClaimRequest attempt(IdempotencyStore s) {
    long leaseMs = leaseMs(s);
    attemptLeaseEndsAtMillis = stage.clock.epochMillis() + leaseMs;
    return new ClaimRequest(scope, ClaimTokens.next(exchange.context().requestId()), fingerprint,
        exchange.context().caller().quota().idempotencyRecords(), leaseMs, ttlMs);
  }

  private Future<Reply> decide(Claim claim) {
    return switch (claim) {
      case Claim.Leader leader -> lead(leader.owner());
      case Claim.Existing existing -> found(existing.record());
      case Claim.OverQuota over -> Future.failedFuture(IdempotencyRefusals.overQuota(over.retryAfterMs()));
    };
  }

  /** Returns the lease a claim in {@code s} gets: the request's whole life, or less where the store renews. */
  private long leaseMs(IdempotencyStore s) {
    return Math.min(lifetimeMs(), s.longestLeaseMs());
  }

  /**
   * Returns how long the request may still run, plus a grace period: to its deadline, or, where later, to the end
   * of the longest stream an answer of it may send on its target or a fallback of it (a {@code stream_max_s} past the
   * deadline: its holder is alive while that body streams, and must not be presumed dead, nor its key taken over).
   */
  private long lifetimeMs() {
    RequestContext context = exchange.context();
    long streamMs = stage.longestStreamMs(exchange.target().name());
    long endNanos = Math.max(context.deadlineNanos(), context.startNanos() + streamMs * 1_000_000L);
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(endNanos - stage.clock.nanoTime()))
        + IdempotencyStage.LEASE_GRACE_MS;
  }

  private Future<Reply> found(IdempotencyRecord record) {
    if (!record.fingerprint().equals(fingerprint)) {
      return Future.failedFuture(IdempotencyRefusals.conflict());
    }
    return switch (record) {
      case IdempotencyRecord.InProgress running -> {
        long unrenewedForMs = unrenewedForMs(running);
        // A key released meanwhile is claimed again, so one waiter leads.
        yield presumedDead(running, unrenewedForMs) ? expired(running)
            : holderWait.next(store, running, unrenewedForMs)
                .compose(seen -> seen.isEmpty() ? claim() : found(seen.get()));
      }
      case IdempotencyRecord.Done done -> {
        if (holderWait.waited()) {
          stage.events.coalesced(exchange.target().name());
        }
        yield replay(done.outcome());
      }
    };
  }

  /**
   * Returns whether the holder of {@code running} is presumed dead: its lease ran out by the store's
   * time and this instance saw the claim unrenewed for as long as the store asks ({@code unrenewedForMs} is no
   * more than zero: {@link IdempotencyStore#unrenewedForMs}), so a clock ahead of the holder's never takes a
   * live key over and executes it twice, nor answers "outcome unknown" for a request still running: its
   * duplicates wait as for a live claim meanwhile (docs/operations-redis.md, "Clocks").
   */
  private boolean presumedDead(IdempotencyRecord.InProgress running, long unrenewedForMs) {
    return store.leaseLeftMs(running) <= 0 && unrenewedForMs <= 0;
  }

  /** Returns how much longer this instance must see {@code running} unrenewed before presuming its holder dead. */
  private long unrenewedForMs(IdempotencyRecord.InProgress running) {
    return store.unrenewedForMs(scope, running);
  }

  /**
   * Handles a claim whose holder is presumed dead: its request may have acted upstream, so the outcome
   * is unknown, unless the upstream deduplicates by the forwarded key; then one request takes over.
   */
  private Future<Reply> expired(IdempotencyRecord.InProgress running) {
    if (config.forwardHeader().isEmpty()) {
      return Future.failedFuture(IdempotencyRefusals.outcomeUnknown());
    }
    return StoreOutage.failClosed(store.takeOver(attempt(store), running))
        .compose(this::decide);
  }

  private Future<Reply> replay(Outcome outcome) {
    return switch (outcome) {
      case Outcome.Replied replied -> {
        exchange.trace().idempotentHit(true);
        exchange.trace().note(new TrailEntry.Idempotency("replay"));
        stage.events.idempotentReplay(exchange.target().name());
        yield Future.succeededFuture(replied.reply().toReply());
      }
      case Outcome.Unknown unknown -> Future.failedFuture(IdempotencyRefusals.outcomeUnknown());
      case Outcome.NotStored notStored -> Future.failedFuture(IdempotencyRefusals.notStored());
    };
  }

  private Future<Reply> lead(String owner) {
    exchange.trace().note(new TrailEntry.Idempotency("lead"));
    long lifetimeMs = lifetimeMs();
    long leaseMs = Math.min(lifetimeMs, store.longestLeaseMs());
    HeldClaim held = new HeldClaim(scope, owner, fingerprint, stage.events, attemptLeaseEndsAtMillis);
    LeaseRenewal renewal = leaseMs < lifetimeMs
        ? LeaseRenewal.start(store, stage.scheduler, stage.clock, held, leaseMs, ttlMs)
        : null;
    if (!CarriedOn.stream(exchange)) {
      return new LeaderRun(store, held, ttlMs, renewal, stage.clock, () -> {})
          .execute(CarriedOn.withoutClient(exchange), next, key, config.forwardHeader(), stage.maxStoredBytes);
    }
    // A stream stops with its client, unless duplicates of its key wait for it, here or elsewhere (StreamLeads). A
    // waiter that now leads no longer waits, and its own mark, which its removal may not yet have reached (or never
    // reach), is not counted.
    holderWait.stop();
    StreamLeads.Lead streamLead = stage.streamLeads.open(scope, exchange.context().cancellation(), context,
        () -> store.awaited(scope, holderWait.waiter()));
    return new LeaderRun(store, held, ttlMs, renewal, stage.clock, streamLead::close)
        .execute(exchange.withCancellation(streamLead.cancellation()), next, key, config.forwardHeader(),
            stage.maxStoredBytes)
        .map(streamLead::readOnWhileAwaited);
  }

  /** A claim and the store it was made in. */
  private record Chosen(IdempotencyStore store, Claim claim) {}
}
