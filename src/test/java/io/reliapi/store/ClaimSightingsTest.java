package io.reliapi.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A claim's watch runs from this instance's first sight of it as it is, whichever request looks; a renewal restarts it. */
class ClaimSightingsTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T00:00:00Z"));
  private final ClaimSightings sightings = new ClaimSightings(clock);

  @Test
  void countsFromTheFirstSightAndStartsAfreshWhenTheClaimWasRenewedOrTakenOver() {
    var claim = new IdempotencyRecord.InProgress("fp", "holder", 10_000);
    assertThat(sightings.unchangedForMs("c/t/k", claim)).isZero();
    clock.advance(Duration.ofSeconds(4));
    assertThat(sightings.unchangedForMs("c/t/k", claim)).as("a second request looks").isEqualTo(4_000);
    assertThat(sightings.unchangedForMs("c/t/other", claim)).as("another key").isZero();

    clock.advance(Duration.ofSeconds(1));
    var renewed = new IdempotencyRecord.InProgress("fp", "holder", 15_000);
    assertThat(sightings.unchangedForMs("c/t/k", renewed)).isZero();
    clock.advance(Duration.ofSeconds(2));
    assertThat(sightings.unchangedForMs("c/t/k", renewed)).isEqualTo(2_000);
    assertThat(sightings.unchangedForMs("c/t/k", new IdempotencyRecord.InProgress("fp", "taker", 15_000))).isZero();
  }
}
