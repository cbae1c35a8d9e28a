package io.reliapi.store.redis;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges from the fate of commands whether Redis is down for this instance, telling a slow command from a
 * lost Redis. A command that fails for want of a connection (refused, closed, Redis still loading) means
 * loss. A command that only runs out of time does not: it fails its own request, and a PING checks whether
 * Redis answers others; only a PING that fails, or {@link #TIMEOUTS_IN_A_ROW} commands timing out one after
 * another with none answered between them ({@link TimeoutRun}), count as loss. Many commands timing out
 * together count once: a busy machine can hold up every command in flight at the same moment. While down, a
 * PING every {@link #PROBE_MS} ms looks for Redis' return, and the first answer puts it back in use.
 *
 * <p>In a cluster ({@code partial}) a command that cannot reach its node says only that this node is lost:
 * the others may answer, so a PING decides, as for a timeout.
 *
 * <p>Pings and probes run on Vert.x timers in real time: they are I/O of the connection, not waits the
 * gateway chooses.
 */
final class RedisHealth {
  static final long PROBE_MS = 250;
  static final int TIMEOUTS_IN_A_ROW = 5;
  private static final Logger LOG = LoggerFactory.getLogger(RedisHealth.class);

  private final Vertx vertx;
  /** A PING within the time limit that ignores whether Redis counts as down. */
  private final Supplier<Future<?>> ping;
  /** Whether part of Redis can be lost while the rest answers (a cluster's nodes). */
  private final boolean partial;
  private final AtomicBoolean down = new AtomicBoolean();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final AtomicLong commandsSent = new AtomicLong();
  private final AtomicReference<TimeoutRun> timeouts = new AtomicReference<>(TimeoutRun.NONE);
  private final AtomicReference<Future<Boolean>> check = new AtomicReference<>();
  private final List<Runnable> onRecovery = new CopyOnWriteArrayList<>();

  RedisHealth(Vertx vertx, Supplier<Future<?>> ping, boolean partial) {
    this.vertx = vertx;
    this.ping = ping;
    this.partial = partial;
  }

  boolean isDown() {
    return down.get();
  }

  /** Runs {@code action} each time Redis answers again after being down. */
  void onRecovery(Runnable action) {
    onRecovery.add(action);
  }

  /** A command is being sent; returns its number, to be passed to {@link #timedOut(long, long)}. */
  long sending() {
    return commandsSent.getAndIncrement();
  }

  /** Returns the number the next command sent will get: every command numbered below it was sent already. */
  long nextNumber() {
    return commandsSent.get();
  }

  /** A command got its answer (an error reply included): the connection is alive. */
  void answered() {
    timeouts.updateAndGet(TimeoutRun::afterAnswer);
  }

  /**
   * Command {@code sent} ran out of time: slow, and perhaps lost; a PING tells which, unless a run of
   * timeouts one after another already did. {@code next} is {@link #nextNumber()} taken when it ran out,
   * before its caller heard: a command the caller sends on hearing it can lengthen the run.
   */
  void timedOut(long sent, long next) {
    if (timeouts.updateAndGet(run -> run.afterTimeout(sent, next)).reaches(TIMEOUTS_IN_A_ROW)) {
      lost();
    } else {
      check();
    }
  }

  /** A command failed for want of a connection: Redis is lost, or (in a cluster) perhaps one node of it. */
  void connectionFailed() {
    if (partial) {
      check();
    } else {
      lost();
    }
  }

  /** Redis cannot be reached. */
  private void lost() {
    if (!stopped.get() && down.compareAndSet(false, true)) {
      // Commands in flight now cannot start the next run.
      timeouts.set(new TimeoutRun(0, commandsSent.get()));
      LOG.warn("Redis is unavailable; requests that need it follow redis.on_unavailable until it answers again");
      probeLater();
    }
  }

  /**
   * Returns whether Redis answers a PING now; a PING that fails counts Redis as down. Concurrent checks
   * share one PING; while Redis counts as down the answer is no at once (the probe looks for it).
   */
  Future<Boolean> check() {
    if (down.get() || stopped.get()) {
      return Future.succeededFuture(false);
    }
    Promise<Boolean> mine = Promise.promise();
    Future<Boolean> running = check.compareAndExchange(null, mine.future());
    if (running != null) {
      return running;
    }
    ping.get().onComplete(pong -> {
      check.set(null);
      // An answered PING does not end a run of timeouts: commands may be slow while PING is not.
      if (pong.failed()) {
        lost();
      }
      mine.complete(pong.succeeded());
    });
    return mine.future();
  }

  void stop() {
    stopped.set(true);
  }

  private void probeLater() {
    if (stopped.get()) {
      return;
    }
    vertx.setTimer(PROBE_MS, t -> ping.get().onComplete(pong -> {
      if (pong.succeeded() && down.compareAndSet(true, false)) {
        LOG.info("Redis answers again; shared state is back in use");
        onRecovery.forEach(Runnable::run);
      } else {
        probeLater();
      }
    }));
  }
}
