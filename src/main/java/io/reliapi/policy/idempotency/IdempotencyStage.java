package io.reliapi.policy.idempotency;

import io.reliapi.config.TargetConfig;
import io.reliapi.http.Reply;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.Chain;
import io.reliapi.pipeline.Exchange;
import io.reliapi.pipeline.Stage;
import io.reliapi.store.Guarded;
import io.reliapi.store.IdempotencyStore;
import io.reliapi.time.Clock;
import io.reliapi.time.Scheduler;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.Map;

/**
 * Executes each keyed request at most once per (client, target, key) (SPEC §3.4). The first request
 * claims the key and runs; identical requests arriving meanwhile wait for its outcome and get it too;
 * later ones get the stored outcome, or an error when it could not be kept. A different request under the
 * same key is a conflict. Requests without a key pass straight through.
 *
 * <p>A claim is a lease. In memory it lasts the request's whole life (its deadline, or the longest
 * {@code stream_max_s} an answer of it may stream for on its target or the targets it may fall back to, plus a grace
 * period), as its holder cannot die without the store. In Redis it is short and renewed while the request runs, so a
 * holder that died frees its key one lease later: then, since its request may have reached the upstream,
 * the key's outcome is unknown — unless the target gets the key forwarded and deduplicates by itself, in
 * which case exactly one waiting request takes the key over and executes. Waiters wake when the lease
 * would run out to see whether it was renewed, so a dead holder is noticed without polling.
 *
 * <p>When the shared store cannot be reached, the claim follows {@code redis.on_unavailable}: 503
 * {@code STORE_UNAVAILABLE}, or a claim in this instance's memory, marked degraded. A request that
 * already holds or waits on a shared claim never switches to local state half-way (another instance may
 * be executing it): a waiter that loses the store gets 503, a holder's outcome that cannot be recorded
 * now is sent again by the store until it lands, the key keeping its claim meanwhile. A client at its
 * quota of records gets 429 {@code QUOTA_EXCEEDED} for a new key.
 */
public final class IdempotencyStage implements Stage {
  /** How long a claim outlives its request's deadline before the holder is presumed dead. */
  static final long LEASE_GRACE_MS = 60_000;

  final Guarded<IdempotencyStore> stores;
  final Clock clock;
  final Scheduler scheduler;
  final GatewayEvents events;
  final long maxStoredBytes;
  /** By target, the longest {@code stream_max_s} of those it may reach, in ms: how long after its arrival a request may run. */
  private final Map<String, Long> longestStreamMs;
  final StreamLeads streamLeads = new StreamLeads();

  public IdempotencyStage(Guarded<IdempotencyStore> stores, Clock clock, Scheduler scheduler, GatewayEvents events,
      long maxStoredBytes, Collection<TargetConfig> targets) {
    this.stores = stores;
    this.clock = clock;
    this.scheduler = scheduler;
    this.events = events;
    this.maxStoredBytes = maxStoredBytes;
    // Not only the request's own target: a fallback (or a context_fallback) may stream for it.
    this.longestStreamMs = StreamReach.longestMs(targets);
  }

  /** Returns how long after its arrival a request to {@code target} may still stream an answer, in ms. */
  long longestStreamMs(String target) {
    return longestStreamMs.getOrDefault(target, 0L);
  }

  @Override
  public Future<Reply> handle(Exchange exchange, Chain next) {
    return exchange.context().idempotencyKey()
        .map(key -> new KeyedRequest(this, exchange, next, key).start())
        .orElseGet(() -> next.proceed(exchange));
  }
}
