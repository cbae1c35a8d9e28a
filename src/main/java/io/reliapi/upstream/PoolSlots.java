package io.reliapi.upstream;

import java.util.ArrayDeque;

/**
 * The connection places of one target (or deployment) on one event loop: the attempts holding a connection, and a
 * few waiting briefly for one, so a full pool is told apart from a slow upstream and refused at once. The places
 * outlive the target's upstream clients: a reload that changes the target gives the new client these places,
 * reconfigured, so the new config's attempts count the connections the old config's calls still hold. An attempt
 * that waits calls for a connection only once it holds a place, so no pool, old or new, opens one past the bound
 * and no attempt whose client left sits in a pool's own wait queue. Used on one event loop.
 */
final class PoolSlots {
  /** One attempt's claim: a place held, or a place in the queue until one frees. */
  final class Place {
    private boolean holding;
    private boolean gone;
    private Runnable onHeld;

    boolean holding() {
      return holding;
    }

    /** Runs {@code onHeld} when a waiting place becomes a held one (not if it already is, or is given back first). */
    void whenHeld(Runnable onHeld) {
      this.onHeld = onHeld;
    }

    /** Gives the place back, held or waiting, once; a held place goes to the first waiter that fits. */
    void giveBack() {
      if (gone) {
        return;
      }
      gone = true;
      if (holding) {
        holders--;
        admitWaiting();
      } else {
        waiters.remove(this);
      }
    }
  }

  private final ArrayDeque<Place> waiters = new ArrayDeque<>();
  private int connections;
  private int maxWaiting;
  private int holders;

  PoolSlots(int connections, int maxWaiting) {
    this.connections = connections;
    this.maxWaiting = maxWaiting;
  }

  /**
   * Asks for a place: held at once when fewer attempts hold one than there are connections and none waits; else
   * queued when fewer than {@code maxWaiting} wait; else null: the pool is full, and nothing is taken.
   */
  Place take() {
    if (holders < connections && waiters.isEmpty()) {
      Place place = new Place();
      place.holding = true;
      holders++;
      return place;
    }
    if (waiters.size() >= maxWaiting) {
      return null;
    }
    Place place = new Place();
    waiters.addLast(place);
    return place;
  }

  /**
   * Takes a reloaded bound: the places held and the queue stay, so a lowered bound admits no one until the places
   * held fit under it, and a raised one admits waiters at once.
   */
  void reconfigure(int connections, int maxWaiting) {
    this.connections = connections;
    this.maxWaiting = maxWaiting;
    admitWaiting();
  }

  private void admitWaiting() {
    while (holders < connections && !waiters.isEmpty()) {
      Place next = waiters.pollFirst();
      next.holding = true;
      holders++;
      if (next.onHeld != null) {
        next.onHeld.run();
      }
    }
  }

  int holding() {
    return holders;
  }

  int waiting() {
    return waiters.size();
  }
}
