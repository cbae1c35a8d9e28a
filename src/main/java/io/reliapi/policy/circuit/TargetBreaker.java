package io.reliapi.policy.circuit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.reliapi.config.CircuitConfig;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The breaker of one target, or of one deployment of a target, shared by every event loop: a Resilience4j
 * breaker driven through its non-blocking API ({@link BreakerSettings}). Resilience4j keeps the cooldown and
 * hands out the half-open trial permits; the half-open verdict is taken here, because Resilience4j would
 * close unless every trial failed (and may decide before all trials are in): all {@code half_open_calls}
 * trials must succeed to close, and any failed trial re-opens the breaker for another cooldown. With rate
 * rules, the consecutive-failure rule is counted here beside Resilience4j's window.
 */
public final class TargetBreaker {
  private final CircuitBreaker breaker;
  private final CircuitConfig config;
  private final Clock clock;
  private final long cooldownNanos;
  private final int halfOpenCalls;
  private final AtomicInteger trialSuccesses = new AtomicInteger();
  /** Consecutive failures, counted here only when rate rules took Resilience4j's window. */
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  /** Counts state transitions, so an attempt that began in an earlier state is never taken for a trial. */
  private final AtomicLong generation = new AtomicLong();
  private volatile long openedAtNanos;
  /** Why the breaker is about to open from closed, for the ejection event of a deployment's breaker. */
  private volatile String openReason;

  TargetBreaker(String target, String deployment, CircuitConfig config, Clock clock, GatewayEvents events) {
    this.config = config;
    this.clock = clock;
    this.cooldownNanos = TimeUnit.SECONDS.toNanos(config.cooldownS());
    this.halfOpenCalls = config.halfOpenCalls();
    this.breaker = CircuitBreaker.of(deployment == null ? target : target + "/" + deployment,
        BreakerSettings.of(config, clock));
    breaker.getEventPublisher()
        .onFailureRateExceeded(event -> openReason = "failure_rate")
        .onSlowCallRateExceeded(event -> openReason = openReason == null ? "slow_calls" : openReason)
        .onStateTransition(event -> {
          var transition = event.getStateTransition();
          generation.incrementAndGet();
          consecutiveFailures.set(0);
          if (transition.getToState() == State.OPEN) {
            openedAtNanos = clock.nanoTime();
            if (transition.getFromState() == State.CLOSED && deployment != null) {
              events.deploymentEjected(target, deployment, reason());
            }
          } else if (transition.getToState() == State.HALF_OPEN) {
            trialSuccesses.set(0);
          }
          openReason = null;
          events.circuitTransition(target, deployment, label(transition.getFromState()),
              label(transition.getToState()));
        });
    events.circuitCreated(target, deployment, () -> label(breaker.getState()));
  }

  /** Without rate rules Resilience4j's own window is the consecutive rule, whatever event it reports. */
  private String reason() {
    return config.rates().isEmpty() || openReason == null ? "consecutive_failures" : openReason;
  }

  /**
   * Takes a permit for one attempt and returns it (the breaker's state generation), or -1 while open, or
   * half-open with every trial taken.
   */
  public long acquire() {
    return breaker.tryAcquirePermission() ? generation.get() : -1;
  }

  /**
   * Returns whether an attempt could be let through now without taking a permit: closed, half-open, or open
   * with its cooldown over. A half-open breaker whose trials are all taken still says yes; acquiring tells.
   */
  public boolean admits() {
    return switch (breaker.getState()) {
      case CLOSED, HALF_OPEN, DISABLED, METRICS_ONLY -> true;
      case OPEN -> clock.nanoTime() - openedAtNanos >= cooldownNanos;
      case FORCED_OPEN -> false;
    };
  }

  /**
   * Returns the whole seconds of cooldown left, at least 1 (a half-open breaker's trials are in flight). A
   * breaker an operator forced open has no cooldown, and when the operator will close it is unknowable: its
   * clients are asked to wait one {@code cooldown_s}, as long as an open breaker would keep them out.
   */
  public long retryAfterS() {
    if (forcedOpen()) {
      return Math.max(1, config.cooldownS());
    }
    long left = openedAtNanos + cooldownNanos - clock.nanoTime();
    return Math.max(1, (left + 999_999_999) / 1_000_000_000);
  }

  /**
   * Records the attempt that held {@code permit}. Closed-state results go straight to Resilience4j, which
   * is thread-safe; only half-open verdicts and the consecutive rule's opening are serialised, so the hot
   * path takes no lock.
   */
  public void record(long permit, BreakerVerdict verdict, long durationNanos) {
    if (permit != generation.get()) {
      // The attempt began before the last transition: its result says nothing about the current state
      // (a slow attempt from before the breaker opened must not decide a half-open trial).
      return;
    }
    if (breaker.getState() == State.HALF_OPEN) {
      recordTrial(permit, verdict);
      return;
    }
    switch (verdict) {
      case IGNORED -> breaker.releasePermission();
      case SUCCESS -> {
        consecutiveFailures.set(0);
        breaker.onSuccess(durationNanos, TimeUnit.NANOSECONDS);
      }
      case FAILURE -> {
        breaker.onError(durationNanos, TimeUnit.NANOSECONDS, AttemptFailed.INSTANCE);
        if (config.rates().isPresent() && consecutiveFailures.incrementAndGet() >= config.errorThreshold()) {
          openAfterConsecutiveFailures();
        }
      }
    }
  }

  private synchronized void openAfterConsecutiveFailures() {
    if (breaker.getState() == State.CLOSED) {
      openReason = "consecutive_failures";
      breaker.transitionToOpenState();
    }
  }

  private synchronized void recordTrial(long permit, BreakerVerdict verdict) {
    if (permit != generation.get()) {
      return;
    }
    switch (verdict) {
      case IGNORED -> breaker.releasePermission();
      case SUCCESS -> {
        if (trialSuccesses.incrementAndGet() >= halfOpenCalls) {
          breaker.transitionToClosedState();
        }
      }
      case FAILURE -> breaker.transitionToOpenState();
    }
  }

  /** Returns closed, open or half_open. */
  public String state() {
    return label(breaker.getState());
  }

  /** Returns the config this breaker was built from; a reload keeps the breaker while it is unchanged. */
  public CircuitConfig config() {
    return config;
  }

  /** Returns whether an operator forced the breaker open: it stays open until forced closed. */
  public boolean forcedOpen() {
    return breaker.getState() == State.FORCED_OPEN;
  }

  /** Opens the breaker until {@link #forceClosed()}: no cooldown ends it (an operator's action). */
  public void forceOpen() {
    breaker.transitionToForcedOpenState();
  }

  /** Closes the breaker now, with a clean count of failures (an operator's action). */
  public void forceClosed() {
    breaker.transitionToClosedState();
  }

  static String label(State state) {
    return switch (state) {
      case CLOSED, DISABLED, METRICS_ONLY -> "closed";
      case OPEN, FORCED_OPEN -> "open";
      case HALF_OPEN -> "half_open";
    };
  }

  /** What Resilience4j is told a failed attempt threw; stackless, never shown to anyone. */
  private static final class AttemptFailed extends RuntimeException {
    static final AttemptFailed INSTANCE = new AttemptFailed();

    private AttemptFailed() {
      super("upstream attempt failed", null, false, false);
    }
  }
}
