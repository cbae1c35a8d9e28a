package io.reliapi.policy.idempotency;

import io.reliapi.observe.GatewayEvents;
import io.reliapi.store.IdempotencyScope;
import io.reliapi.store.ScopeHash;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The claim a leading request holds: what its renewals and its settlement name, the end of the lease it last secured
 * (until then a store that lost the claim may re-create it), and the one report, should the request find the key held
 * or finished by another request (the store lost the claim, or the holder was cut off past its lease and taken over:
 * a duplicate executed too), or gone past that lease. This request's outcome is then not stored; its answer went to
 * its own client only. Never silent: a warning naming the scope by its hash, and
 * {@code reliapi_idempotency_claims_lost_total}, once per claim.
 */
final class HeldClaim {
  private static final Logger LOG = LoggerFactory.getLogger(HeldClaim.class);

  final IdempotencyScope scope;
  final String owner;
  final String fingerprint;
  private final GatewayEvents events;
  private final AtomicBoolean lost = new AtomicBoolean();
  private volatile long leaseEndsAtMillis;

  /** {@code leaseEndsAtMillis}: when the lease of the claim ends at the latest, as its claim was sent. */
  HeldClaim(IdempotencyScope scope, String owner, String fingerprint, GatewayEvents events, long leaseEndsAtMillis) {
    this.scope = scope;
    this.owner = owner;
    this.fingerprint = fingerprint;
    this.events = events;
    this.leaseEndsAtMillis = leaseEndsAtMillis;
  }

  /** Notes a renewal that succeeded: the lease now ends no earlier than {@code leaseEndsAtMillis}. */
  void renewed(long leaseEndsAtMillis) {
    this.leaseEndsAtMillis = Math.max(this.leaseEndsAtMillis, leaseEndsAtMillis);
  }

  /** Returns until when a store that lost the claim may re-create it: the end of the lease last secured. */
  long reassertUntilMillis() {
    return leaseEndsAtMillis;
  }

  /** Reports that another request holds or finished the key this request claimed; {@code when} says who saw it. */
  void lost(String when) {
    if (lost.compareAndSet(false, true)) {
      LOG.warn("idempotency claim {} on target {} was lost while its request ran ({}): another request with the same "
          + "key may have executed too; this request's outcome is not stored", ScopeHash.of(scope), scope.target(),
          when);
      events.idempotencyClaimLost(scope.target());
    }
  }
}
