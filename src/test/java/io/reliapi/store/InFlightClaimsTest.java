package io.reliapi.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InFlightClaimsTest {
  private static final long LEASE_MS = 1_000;
  private static final long TTL_MS = 100;
  private static final IdempotencyScope SCOPE = new IdempotencyScope("alice", "t", "k");

  private final InFlightClaims claims = new InFlightClaims();

  /** Claims {@code SCOPE} for {@code owner} at time 0: by {@code now} = lease + TTL it has outlived its lease. */
  private ClaimInProgress claimAtZero(String owner) {
    ClaimInProgress claimed = ClaimInProgress.of(new ClaimRequest(SCOPE, owner, "fp", 10, LEASE_MS, TTL_MS), 0);
    claims.change(SCOPE, current -> claimed);
    return claimed;
  }

  @Test
  void anOutlivedClaimIsDroppedAndItsWaitersWokenAsReleased() {
    ClaimInProgress claimed = claimAtZero("owner");
    AtomicInteger ended = new AtomicInteger();

    claims.dropOutlived("alice", LEASE_MS + TTL_MS, c -> ended.incrementAndGet());

    assertThat(claims.get(SCOPE)).isNull();
    assertThat(ended).hasValue(1);
    assertThat(claimed.signal().future().result()).isEqualTo(Optional.empty());
  }

  @Test
  void aRenewedClaimIsKeptAndOtherClientsClaimsAreLeftAlone() {
    ClaimInProgress claimed = claimAtZero("owner");
    long now = LEASE_MS + TTL_MS;
    assertThat(claims.renew(SCOPE, "owner", now + LEASE_MS, TTL_MS)).isTrue();

    claims.dropOutlived("alice", now, c -> {});
    claims.dropOutlived("bob", now + 10 * LEASE_MS, c -> {});

    assertThat(claims.get(SCOPE).ownedBy("owner")).isTrue();
    assertThat(claimed.signal().future().isComplete()).isFalse();
  }

  /**
   * A sweep racing the owner's renewal either ends the claim before the renewal (which then fails) or leaves the
   * renewed claim alone: a renewed claim dropped would let a duplicate claim the key and call upstream again.
   */
  @Test
  void aSweepRacingARenewalNeverDropsTheRenewedClaim() throws Exception {
    long now = LEASE_MS + TTL_MS;
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 20_000; round++) {
        ClaimInProgress claimed = claimAtZero("owner-" + round);
        String owner = "owner-" + round;
        AtomicInteger ended = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        Future<Boolean> renewed = threads.submit(() -> {
          start.await();
          return claims.renew(SCOPE, owner, now + LEASE_MS, TTL_MS);
        });
        Future<?> swept = threads.submit(() -> {
          start.await();
          claims.dropOutlived("alice", now, c -> ended.incrementAndGet());
          return null;
        });
        start.countDown();
        swept.get(5, TimeUnit.SECONDS);
        if (renewed.get(5, TimeUnit.SECONDS)) {
          assertThat(claims.get(SCOPE)).as("round %d: the renewed claim", round).isNotNull();
          assertThat(ended).as("round %d: ends signalled", round).hasValue(0);
          assertThat(claimed.signal().future().isComplete()).as("round %d: waiters woken", round).isFalse();
        } else {
          assertThat(claims.get(SCOPE)).isNull();
          assertThat(ended).hasValue(1);
        }
        claims.change(SCOPE, current -> null);
      }
    } finally {
      threads.shutdownNow();
    }
  }
}
