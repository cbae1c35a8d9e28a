package io.reliapi.policy.concurrency;

import io.reliapi.config.ClientConfig.Priority;
import io.reliapi.config.ConcurrencyConfig;
import io.reliapi.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The concurrency limit of one target on this gateway instance, shared by its event loops: the attempts
 * holding a place, the queues of those waiting (interactive, batch), the adaptive limit and the interactive
 * demand that sizes the batch attempts' reserve (the most interactive attempts in flight or waiting at once
 * in this second or the one before). One lock guards it and is held for a few field updates, never for I/O
 * or a callback: waiters are told their fate after it is let go, each on its own event loop.
 */
final class TargetLimiter {
  private static final long SECOND_NANOS = 1_000_000_000L;
  private final Clock clock;
  /** Written under the lock; read without it only for the queue timeout of an attempt that starts now. */
  private volatile ConcurrencyConfig config;
  private AdaptiveLimit window;
  private final ArrayDeque<Waiter> interactive = new ArrayDeque<>();
  private final ArrayDeque<Waiter> batch = new ArrayDeque<>();
  /** The newest config has no {@code concurrency} block for the target: every attempt goes at once. */
  private boolean lifted;
  private int inFlight;
  private int interactiveInFlight;
  private long demandSecond = Long.MIN_VALUE;
  private int demandNow;
  private int demandBefore;

  TargetLimiter(ConcurrencyConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.window = new AdaptiveLimit(config, clock.nanoTime());
  }

  ConcurrencyConfig config() {
    return config;
  }

  /**
   * Takes a reloaded {@code concurrency} block: the limit starts afresh, and the attempts holding places or
   * waiting stay, so a lowered limit admits no one until the places held fit under it, and a raised one admits
   * waiters at once. Attempts already waiting keep their place in the queue (and their queue timeout).
   */
  void reconfigure(ConcurrencyConfig next) {
    List<Waiter> admitted;
    synchronized (this) {
      lifted = false;
      if (config.equals(next)) {
        return;
      }
      config = next;
      window = new AdaptiveLimit(next, clock.nanoTime());
      admitted = admitWaiting();
    }
    admitted.forEach(Waiter::tell);
  }

  /**
   * The reloaded config removed the target's {@code concurrency} block, so it is unlimited: the attempts waiting
   * go at once (each hears it on its own event loop), as does every attempt that still finds this limiter (it
   * looked it up just before the reload). They hold places all the same, counted should the block come back.
   */
  void lift() {
    List<Waiter> admitted = new ArrayList<>();
    synchronized (this) {
      lifted = true;
      while (!interactive.isEmpty()) {
        admitted.add(admit(interactive.pollFirst()));
      }
      while (!batch.isEmpty()) {
        admitted.add(admit(batch.pollFirst()));
      }
      noteDemand();
    }
    admitted.forEach(Waiter::tell);
  }

  /**
   * Asks for a place for an attempt of {@code priority}: the waiter is admitted at once, shed at once, or
   * queued until a place frees or {@link #leave} takes it out. {@code mayWait} is false when the request
   * has no time left to wait.
   */
  Waiter enter(Priority priority, boolean mayWait) {
    Waiter waiter = new Waiter(this, priority, clock.nanoTime());
    Waiter displaced = null;
    synchronized (this) {
      int limit = window.limit();
      switch (lifted ? Admission.Decision.ADMIT : Admission.decide(priority, inFlight, limit, reserve(limit),
          interactive.size(), batch.size(), config.queueSize(), mayWait)) {
        case ADMIT -> admit(waiter);
        case QUEUE -> {
          queue(priority).addLast(waiter);
          window.inUse();
        }
        case QUEUE_DISPLACING_BATCH -> {
          displaced = batch.pollLast();
          displaced.shed(Waiter.DISPLACED);
          interactive.addLast(waiter);
          window.inUse();
        }
        case SHED -> waiter.shed(mayWait ? Waiter.QUEUE_FULL : Waiter.DEADLINE);
      }
      noteDemand();
    }
    if (displaced != null) {
      displaced.tell();
    }
    waiter.tell();
    return waiter;
  }

  /** Takes a waiter out of the queue for {@code reason}; false when it was admitted or shed already. */
  boolean leave(Waiter waiter, String reason) {
    synchronized (this) {
      if (!queue(waiter.priority()).remove(waiter)) {
        return false;
      }
      waiter.shed(reason);
    }
    waiter.tell();
    return true;
  }

  /**
   * An admitted attempt that started at {@code startedNanos}, when {@code inFlightAtStart} attempts held places,
   * took {@code latencyNanos} to its answer's head. Taken then, not when the place is let go: a stream may last
   * minutes after its upstream answered. Waiters take the places a grown limit frees.
   */
  void sample(long startedNanos, int inFlightAtStart, long latencyNanos) {
    List<Waiter> admitted;
    synchronized (this) {
      window.sample(startedNanos, inFlightAtStart, latencyNanos, clock.nanoTime());
      admitted = admitWaiting();
    }
    admitted.forEach(Waiter::tell);
  }

  /** An admitted attempt of {@code priority} let go of its place; waiters take the places free. */
  void exit(Priority priority) {
    List<Waiter> admitted;
    synchronized (this) {
      inFlight--;
      if (priority == Priority.INTERACTIVE) {
        interactiveInFlight--;
      }
      admitted = admitWaiting();
    }
    admitted.forEach(Waiter::tell);
  }

  /** Admits waiters while the limit has places for them, interactive first; called under the lock. */
  private List<Waiter> admitWaiting() {
    List<Waiter> admitted = new ArrayList<>(1);
    int limit = window.limit();
    while (!interactive.isEmpty() && inFlight < limit) {
      admitted.add(admit(interactive.pollFirst()));
    }
    while (!batch.isEmpty() && interactive.isEmpty() && inFlight < limit - reserve(limit)) {
      admitted.add(admit(batch.pollFirst()));
    }
    noteDemand();
    return admitted;
  }

  private Waiter admit(Waiter waiter) {
    inFlight++;
    if (waiter.priority() == Priority.INTERACTIVE) {
      interactiveInFlight++;
    }
    if (inFlight >= window.limit()) {
      window.inUse();
    }
    waiter.admit(inFlight);
    return waiter;
  }

  /** Returns the places batch attempts leave free now. */
  private int reserve(int limit) {
    noteDemand();
    return Admission.reserve(limit, Math.max(demandNow, demandBefore));
  }

  /** Keeps the most interactive attempts in flight or waiting at once, per second of the monotonic clock. */
  private void noteDemand() {
    long second = Math.floorDiv(clock.nanoTime(), SECOND_NANOS);
    if (second != demandSecond) {
      demandBefore = second == demandSecond + 1 ? demandNow : 0;
      demandNow = 0;
      demandSecond = second;
    }
    demandNow = Math.max(demandNow, interactiveInFlight + interactive.size());
  }

  synchronized int limit() {
    return window.limit();
  }

  synchronized int inFlight() {
    return inFlight;
  }

  synchronized int waiting() {
    return interactive.size() + batch.size();
  }

  private ArrayDeque<Waiter> queue(Priority priority) {
    return priority == Priority.INTERACTIVE ? interactive : batch;
  }
}
