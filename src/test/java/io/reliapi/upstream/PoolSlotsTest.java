package io.reliapi.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The places of one pool: its connections, then a bounded number of short waits, then refusal; kept across a reload. */
class PoolSlotsTest {
  private final List<String> held = new ArrayList<>();
  /** A client whose own pool is never the limit. */
  private final PoolSlots.Share any = new PoolSlots.Share(Integer.MAX_VALUE);

  private PoolSlots.Place waiter(PoolSlots slots, String name) {
    return waiter(slots, any, name);
  }

  private PoolSlots.Place waiter(PoolSlots slots, PoolSlots.Share share, String name) {
    PoolSlots.Place place = slots.take(share);
    assertThat(place).isNotNull();
    assertThat(place.holding()).isFalse();
    place.whenHeld(() -> held.add(name));
    return place;
  }

  @Test
  void holdsAsManyAsTheConnectionsThenLetsAsManyWaitThenRefuses() {
    PoolSlots slots = new PoolSlots(2, 1);
    assertThat(slots.take(any).holding()).isTrue();
    assertThat(slots.take(any).holding()).isTrue();
    waiter(slots, "w");
    assertThat(slots.take(any)).isNull();
    assertThat(slots.take(any)).isNull();
    assertThat(slots.holding()).isEqualTo(2);
    assertThat(slots.waiting()).as("a refusal takes no place").isEqualTo(1);
  }

  @Test
  void aPlaceGivenBackGoesToTheFirstWaiter() {
    PoolSlots slots = new PoolSlots(1, 2);
    PoolSlots.Place first = slots.take(any);
    waiter(slots, "a");
    waiter(slots, "b");
    first.giveBack();
    assertThat(held).containsExactly("a");
    assertThat(slots.holding()).isEqualTo(1);
    assertThat(slots.waiting()).isEqualTo(1);
  }

  @Test
  void aWaiterThatLeavesGivesItsPlaceInTheQueueBackAndIsNeverHeld() {
    PoolSlots slots = new PoolSlots(1, 1);
    PoolSlots.Place first = slots.take(any);
    PoolSlots.Place gone = waiter(slots, "gone");
    gone.giveBack();
    gone.giveBack();
    assertThat(slots.waiting()).isZero();
    PoolSlots.Place next = waiter(slots, "next");
    first.giveBack();
    assertThat(held).containsExactly("next");
    next.giveBack();
    assertThat(slots.holding()).isZero();
  }

  @Test
  void aPlaceGivenBackTwiceIsGivenBackOnce() {
    PoolSlots slots = new PoolSlots(2, 0);
    PoolSlots.Place first = slots.take(any);
    slots.take(any);
    first.giveBack();
    first.giveBack();
    assertThat(slots.holding()).isEqualTo(1);
  }

  @Test
  void aLoweredBoundCountsThePlacesStillHeldAndAdmitsNoOneUntilTheyFit() {
    PoolSlots slots = new PoolSlots(2, 2);
    PoolSlots.Place a = slots.take(any);
    PoolSlots.Place b = slots.take(any);
    slots.reconfigure(1, 1);
    waiter(slots, "c");
    assertThat(slots.take(any)).as("one may wait under the new bound").isNull();
    a.giveBack();
    assertThat(held).as("b still holds the one place").isEmpty();
    b.giveBack();
    assertThat(held).containsExactly("c");
    assertThat(slots.holding()).isEqualTo(1);
  }

  @Test
  void aRaisedBoundAdmitsWaitersAtOnce() {
    PoolSlots slots = new PoolSlots(1, 2);
    slots.take(any);
    waiter(slots, "a");
    waiter(slots, "b");
    slots.reconfigure(2, 2);
    assertThat(held).containsExactly("a");
    slots.reconfigure(4, 4);
    assertThat(held).containsExactly("a", "b");
    assertThat(slots.take(any).holding()).isTrue();
  }

  @Test
  void aRaisedBoundGoesToAnAttemptWhoseClientsPoolHasRoomNotToAWaiterWhoseHasNone() {
    PoolSlots slots = new PoolSlots(1, 2);
    PoolSlots.Share old = new PoolSlots.Share(1);
    PoolSlots.Place first = slots.take(old);
    waiter(slots, old, "old");
    slots.reconfigure(2, 2);
    assertThat(held).as("the old client's only connection is busy").isEmpty();
    PoolSlots.Share raised = new PoolSlots.Share(2);
    PoolSlots.Place fresh = slots.take(raised);
    assertThat(fresh.holding()).isTrue();
    fresh.giveBack();
    assertThat(held).isEmpty();
    first.giveBack();
    assertThat(held).containsExactly("old");
    assertThat(slots.holding()).isEqualTo(1);
    assertThat(slots.waiting()).isZero();
  }

  @Test
  void theSameClientKeyKeepsItsPlacesAcrossClientsAndOthersHaveTheirOwn() {
    PoolPlaces places = new PoolPlaces();
    PoolSlots old = places.of("api", 2, 2);
    old.take(any);
    old.take(any);
    PoolSlots kept = places.of("api", 1, 1);
    assertThat(kept).isSameAs(old);
    assertThat(kept.take(any).holding()).isFalse();
    assertThat(places.of("api/eu", 1, 1).take(any).holding()).isTrue();
  }
}
