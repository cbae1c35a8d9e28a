package io.reliapi.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.upstream.PoolSlots.Admission;
import org.junit.jupiter.api.Test;

/** The places of one pool: its connections, then a bounded number of short waits, then refusal. */
class PoolSlotsTest {
  @Test
  void admitsAsManyAsTheConnectionsThenLetsAsManyWaitThenRefuses() {
    PoolSlots slots = new PoolSlots(2, 1);
    assertThat(slots.take()).isEqualTo(Admission.FREE);
    assertThat(slots.take()).isEqualTo(Admission.FREE);
    assertThat(slots.take()).isEqualTo(Admission.WAIT);
    assertThat(slots.take()).isEqualTo(Admission.FULL);
    assertThat(slots.take()).isEqualTo(Admission.FULL);
    assertThat(slots.taken()).as("a refusal takes no place").isEqualTo(3);
  }

  @Test
  void aPlaceGivenBackIsFreeAgain() {
    PoolSlots slots = new PoolSlots(1, 0);
    assertThat(slots.take()).isEqualTo(Admission.FREE);
    assertThat(slots.take()).isEqualTo(Admission.FULL);
    slots.release();
    assertThat(slots.take()).isEqualTo(Admission.FREE);
  }
}
