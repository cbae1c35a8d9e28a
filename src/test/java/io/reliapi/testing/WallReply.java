package io.reliapi.testing;

import io.vertx.core.Vertx;

/**
 * Where and how one {@link FaultWall} answer that got as far as a 200 is written: the wall's Vert.x (for its
 * timers), the connection, the timings, the fault's mode, and the log entry that records what happened.
 */
record WallReply(Vertx vertx, WallConnection connection, WallTiming timing, WallFault.Stream mode,
    WallAttempt entry) {}
