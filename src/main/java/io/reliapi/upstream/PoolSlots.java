package io.reliapi.upstream;

/**
 * Counts the attempts that hold or wait for a connection of one upstream client's pool, so a full pool is
 * told apart from a slow upstream: while every connection is taken, a few attempts may wait briefly; beyond
 * that the pool is full and an attempt is refused at once. Used on one event loop.
 */
final class PoolSlots {
  /** What an attempt asking for a connection is told. */
  enum Admission {
    /** A connection is idle or may be opened. */
    FREE,
    /** Every connection is taken: wait briefly for one to come back. */
    WAIT,
    /** Every connection is taken and enough attempts wait already: refuse. */
    FULL
  }

  private final int connections;
  private final int maxWaiting;
  private int taken;

  PoolSlots(int connections, int maxWaiting) {
    this.connections = connections;
    this.maxWaiting = maxWaiting;
  }

  /** Takes a place (unless FULL, which takes none); each place taken must be given back once with {@link #release()}. */
  Admission take() {
    if (taken >= connections + maxWaiting) {
      return Admission.FULL;
    }
    return taken++ < connections ? Admission.FREE : Admission.WAIT;
  }

  void release() {
    taken--;
  }

  int taken() {
    return taken;
  }
}
