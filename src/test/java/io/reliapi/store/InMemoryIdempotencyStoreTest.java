package io.reliapi.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.store.IdempotencyRecord.InProgress;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InMemoryIdempotencyStoreTest extends IdempotencyStoreContract {
  private static final long MAX_BYTES = 256 * 1024;
  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = ManualScheduler.manual(clock);

  @Override
  protected IdempotencyStore newStore() {
    return new InMemoryIdempotencyStore(clock, scheduler, MAX_BYTES);
  }

  @Override
  protected void elapse(Duration duration) {
    scheduler.advance(duration);
  }

  /** In memory, leases and TTLs are on the monotonic clock, which an NTP step or a resume does not move. */
  @Test
  void aWallClockSteppedForwardEndsNoLeaseAndNoStoredOutcome() {
    Claim.Leader leader = (Claim.Leader) get(store.claim(request("k", "fp", 1_000)));
    Claim.Leader done = (Claim.Leader) get(store.claim(request("done", "fp", 1_000)));
    get(store.complete(scope("done"), done.owner(), "fp", new Outcome.Replied(reply(200, "{}")), 60_000, WITHIN_LEASE));
    clock.stepWallClock(Duration.ofDays(2));

    InProgress running = (InProgress) ((Claim.Existing) get(store.claim(request("k", "fp", 1_000)))).record();
    assertThat(running.owner()).isEqualTo(leader.owner());
    assertThat(leaseOver(running)).isFalse();
    assertThat(get(store.takeOver(request("k", "fp", 1_000), running))).isInstanceOf(Claim.Existing.class);
    assertThat(get(store.claim(request("done", "fp", 1_000))))
        .isInstanceOfSatisfying(Claim.Existing.class,
            e -> assertThat(e.record()).isInstanceOf(IdempotencyRecord.Done.class));
    elapse(Duration.ofMillis(1_000));
    assertThat(leaseOver(running)).isTrue();
  }

  @Test
  void finishedRecordsStayWithinTheByteLimitWhenFilledPastIt() {
    var memory = (InMemoryIdempotencyStore) store;
    String body = "x".repeat(4096);
    for (int i = 0; i < 1_000; i++) {
      Claim.Leader leader = (Claim.Leader) get(store.claim(request("k" + i, "fp", LEASE_MS)));
      get(store.complete(scope("k" + i), leader.owner(), "fp", new Outcome.Replied(reply(200, body)), 3_600_000,
          WITHIN_LEASE));
    }
    assertThat(memory.finishedWeightedSize()).isLessThanOrEqualTo(MAX_BYTES).isGreaterThan(MAX_BYTES / 2);
    long kept = 0;
    for (int i = 0; i < 1_000; i++) {
      if (get(store.claim(request("k" + i, "fp", LEASE_MS))) instanceof Claim.Existing) {
        kept++;
      }
    }
    assertThat(kept).isBetween(1L, MAX_BYTES / 4096);
  }

  @Test
  void claimsInProgressAreNeverEvictedHoweverFullTheStoreIs() {
    var memory = (InMemoryIdempotencyStore) store;
    String body = "y".repeat(8192);
    for (int i = 0; i < 200; i++) {
      Claim.Leader done = (Claim.Leader) get(store.claim(request("done" + i, "fp", LEASE_MS)));
      get(store.complete(scope("done" + i), done.owner(), "fp", new Outcome.Replied(reply(200, body)), 3_600_000,
          WITHIN_LEASE));
    }
    for (int i = 0; i < 2_000; i++) {
      assertThat(get(store.claim(request("running" + i, "fp", LEASE_MS)))).isInstanceOf(Claim.Leader.class);
    }
    assertThat(memory.inFlightCount()).isEqualTo(2_000);
    for (int i = 0; i < 2_000; i++) {
      assertThat(get(store.claim(request("running" + i, "fp", LEASE_MS)))).isInstanceOf(Claim.Existing.class);
    }
  }

  /** In memory, one client flooding keys evicts its own finished records, never those of a client holding less. */
  @Test
  void aClientFloodingKeysEvictsItsOwnRecordsNeverThoseOfAClientHoldingLess() {
    var memory = (InMemoryIdempotencyStore) store;
    String body = "x".repeat(4096);
    for (int i = 0; i < 5; i++) {
      finish(new IdempotencyScope("small", "t", "k" + i), body);
    }
    for (int i = 0; i < 1_000; i++) {
      finish(new IdempotencyScope("flood", "t", "k" + i), body);
    }
    assertThat(memory.finishedWeightedSize()).isLessThanOrEqualTo(MAX_BYTES);
    for (int i = 0; i < 5; i++) {
      assertThat(get(store.claim(request(new IdempotencyScope("small", "t", "k" + i), "fp", UNLIMITED, LEASE_MS))))
          .isInstanceOfSatisfying(Claim.Existing.class,
              e -> assertThat(e.record()).isInstanceOf(IdempotencyRecord.Done.class));
    }
    assertThat(get(store.claim(request(new IdempotencyScope("flood", "t", "k0"), "fp", UNLIMITED, LEASE_MS))))
        .isInstanceOf(Claim.Leader.class);
    assertThat(get(store.claim(request(new IdempotencyScope("flood", "t", "k999"), "fp", UNLIMITED, LEASE_MS))))
        .isInstanceOf(Claim.Existing.class);
  }

  private void finish(IdempotencyScope scope, String body) {
    Claim.Leader leader = (Claim.Leader) get(store.claim(request(scope, "fp", UNLIMITED, LEASE_MS)));
    get(store.complete(scope, leader.owner(), "fp", new Outcome.Replied(reply(200, body)), 3_600_000, WITHIN_LEASE));
  }
}
