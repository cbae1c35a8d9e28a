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
  /**
   * The places one client's attempts hold: never more than its own pool has connections. After a reload raised the
   * bound, a place given to a waiter of the old client, whose pool is still of the old size, would be spent waiting in
   * that pool's queue (up to the connect timeout) while the new client's attempts, which could use it, are refused.
   */
  static final class Share {
    private final int connections;
    private int holding;

    Share(int connections) {
      this.connections = connections;
    }

    private boolean fits() {
      return holding < connections;
    }
  }

  /** One attempt's claim: a place held, or a place in the queue until one frees. */
  final class Place {
    private final Share share;
    private boolean holding;
    private boolean gone;
    private Runnable onHeld;

    private Place(Share share) {
      this.share = share;
    }

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
        share.holding--;
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
   * Asks for a place for an attempt of {@code share}'s client: held at once when fewer attempts hold one than there are
   * connections, the client's pool has room and no waiter could take it; else queued when fewer than
   * {@code maxWaiting} wait; else null: the pool is full, and nothing is taken.
   */
  Place take(Share share) {
    Place place = new Place(share);
    if (holders < connections && share.fits() && firstAdmissible() == null) {
      hold(place);
      return place;
    }
    if (waiters.size() >= maxWaiting) {
      return null;
    }
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

  /** Hands free places to waiters, first come first served, skipping those whose client's own pool is busy. */
  private void admitWaiting() {
    Place next;
    while (holders < connections && (next = firstAdmissible()) != null) {
      waiters.remove(next);
      hold(next);
      if (next.onHeld != null) {
        next.onHeld.run();
      }
    }
  }

  /** Returns the first waiter whose client's pool has room, or null; the first waiter but after a raised bound. */
  private Place firstAdmissible() {
    if (waiters.isEmpty()) {
      return null;  // the common case, without an iterator
    }
    for (Place waiter : waiters) {
      if (waiter.share.fits()) {
        return waiter;
      }
    }
    return null;
  }

  private void hold(Place place) {
    place.holding = true;
    place.share.holding++;
    holders++;
  }

  int holding() {
    return holders;
  }

  int waiting() {
    return waiters.size();
  }
}
