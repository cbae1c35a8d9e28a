package io.reliapi.policy.idempotency;

import io.reliapi.observe.GatewayEvents;
import io.reliapi.store.IdempotencyScope;
import io.reliapi.store.ScopeHash;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The claim a leading request holds: what its renewals and its settlement name, and the one report, should the
 * request find the key held by another request (the store lost the claim and a duplicate claimed the key: the request
 * executed twice). That duplicate keeps the key, and its outcome is the one stored and replayed; this request's
 * answer went to its own client only. Never silent: a warning naming the scope by its hash, and
 * {@code reliapi_idempotency_claims_lost_total}, once per claim.
 */
final class HeldClaim {
  private static final Logger LOG = LoggerFactory.getLogger(HeldClaim.class);

  final IdempotencyScope scope;
  final String owner;
  final String fingerprint;
  private final GatewayEvents events;
  private final AtomicBoolean lost = new AtomicBoolean();

  HeldClaim(IdempotencyScope scope, String owner, String fingerprint, GatewayEvents events) {
    this.scope = scope;
    this.owner = owner;
    this.fingerprint = fingerprint;
    this.events = events;
  }

  /** Reports that another request holds or finished the key this request claimed; {@code when} says who saw it. */
  void lost(String when) {
    if (lost.compareAndSet(false, true)) {
      LOG.warn("idempotency claim {} on target {} was lost while its request ran ({}): another request with the same "
          + "key executed too; its outcome is the one kept", ScopeHash.of(scope), scope.target(), when);
      events.idempotencyClaimLost(scope.target());
    }
  }
}
