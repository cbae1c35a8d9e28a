package io.reliapi.policy.circuit;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.CircuitConfig;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class TargetBreakerTest {
  private final ManualClock clock = new ManualClock();
  private final List<String> transitions = new ArrayList<>();
  private final List<Supplier<String>> gauges = new ArrayList<>();
  private final GatewayEvents events = new GatewayEvents() {
    @Override
    public void circuitCreated(String target, String deployment, Supplier<String> state) {
      gauges.add(state);
    }

    @Override
    public void circuitTransition(String target, String deployment, String from, String to) {
      transitions.add(target + ":" + from + "->" + to);
    }
  };

  private TargetBreaker breaker(int threshold, long cooldownS, int halfOpenCalls) {
    return new TargetBreaker("api", null, new CircuitConfig(true, threshold, cooldownS, halfOpenCalls), clock, events);
  }

  private static void attempt(TargetBreaker breaker, BreakerVerdict verdict) {
    long permit = breaker.acquire();
    assertThat(permit).isNotNegative();
    breaker.record(permit, verdict, 1_000_000);
  }

  @Test
  void aForceOpenedBreakerAsksForItsCooldownWhateverTheClockSays() {
    TargetBreaker breaker = breaker(5, 60, 1);
    clock.advance(Duration.ofHours(1));
    breaker.forceOpen();
    assertThat(breaker.retryAfterS()).isEqualTo(60);
    clock.advance(Duration.ofMinutes(10));
    assertThat(breaker.retryAfterS()).as("still forced: an admin closes it, no cooldown").isEqualTo(60);
    assertThat(breaker.admits()).isFalse();
  }

  @Test
  void opensAfterThresholdConsecutiveFailures() {
    TargetBreaker breaker = breaker(5, 60, 1);
    for (int i = 0; i < 4; i++) {
      attempt(breaker, BreakerVerdict.FAILURE);
    }
    assertThat(breaker.state()).isEqualTo("closed");
    attempt(breaker, BreakerVerdict.FAILURE);
    assertThat(breaker.state()).isEqualTo("open");
    assertThat(breaker.acquire()).isNegative();
    assertThat(transitions).containsExactly("api:closed->open");
  }

  @Test
  void aSuccessInBetweenStartsTheCountAgain() {
    TargetBreaker breaker = breaker(3, 60, 1);
    attempt(breaker, BreakerVerdict.FAILURE);
    attempt(breaker, BreakerVerdict.FAILURE);
    attempt(breaker, BreakerVerdict.SUCCESS);
    attempt(breaker, BreakerVerdict.FAILURE);
    attempt(breaker, BreakerVerdict.FAILURE);
    assertThat(breaker.state()).isEqualTo("closed");
    attempt(breaker, BreakerVerdict.FAILURE);
    assertThat(breaker.state()).isEqualTo("open");
  }

  @Test
  void ignoredAttemptsNeitherCountNorBreakTheRun() {
    TargetBreaker breaker = breaker(3, 60, 1);
    attempt(breaker, BreakerVerdict.FAILURE);
    attempt(breaker, BreakerVerdict.IGNORED);
    attempt(breaker, BreakerVerdict.FAILURE);
    attempt(breaker, BreakerVerdict.IGNORED);
    assertThat(breaker.state()).isEqualTo("closed");
    attempt(breaker, BreakerVerdict.FAILURE);
    assertThat(breaker.state()).isEqualTo("open");
  }

  @Test
  void reportsTheCooldownLeftInWholeSecondsRoundedUp() {
    TargetBreaker breaker = breaker(1, 30, 1);
    attempt(breaker, BreakerVerdict.FAILURE);
    assertThat(breaker.retryAfterS()).isEqualTo(30);
    clock.advance(Duration.ofMillis(10_500));
    assertThat(breaker.retryAfterS()).isEqualTo(20);
    clock.advance(Duration.ofMillis(19_400));
    assertThat(breaker.retryAfterS()).isEqualTo(1);
  }

  @Test
  void halfOpensAfterTheCooldownAndClosesOnASuccessfulTrial() {
    TargetBreaker breaker = breaker(2, 10, 1);
    attempt(breaker, BreakerVerdict.FAILURE);
    attempt(breaker, BreakerVerdict.FAILURE);
    clock.advance(Duration.ofMillis(9_999));
    assertThat(breaker.acquire()).isNegative();
    clock.advance(Duration.ofMillis(2));
    long trial = breaker.acquire();
    assertThat(trial).isNotNegative();
    assertThat(breaker.state()).isEqualTo("half_open");
    assertThat(breaker.acquire()).as("only one trial while half-open").isNegative();
    breaker.record(trial, BreakerVerdict.SUCCESS, 1);
    assertThat(breaker.state()).isEqualTo("closed");
    assertThat(transitions).containsExactly("api:closed->open", "api:open->half_open", "api:half_open->closed");
  }

  @Test
  void reopensForAFullCooldownOnAFailedTrial() {
    TargetBreaker breaker = breaker(1, 10, 1);
    attempt(breaker, BreakerVerdict.FAILURE);
    clock.advance(Duration.ofSeconds(11));
    attempt(breaker, BreakerVerdict.FAILURE);
    assertThat(breaker.state()).isEqualTo("open");
    assertThat(breaker.retryAfterS()).isEqualTo(10);
    clock.advance(Duration.ofSeconds(9));
    assertThat(breaker.acquire()).isNegative();
  }

  @Test
  void needsEveryTrialToSucceedAndReopensOnAnyFailedOne() {
    TargetBreaker breaker = breaker(1, 10, 3);
    attempt(breaker, BreakerVerdict.FAILURE);
    clock.advance(Duration.ofSeconds(11));
    long t1 = breaker.acquire();
    long t2 = breaker.acquire();
    long t3 = breaker.acquire();
    assertThat(List.of(t1, t2, t3)).allSatisfy(t -> assertThat(t).isNotNegative());
    assertThat(breaker.acquire()).as("a fourth call while three trials run").isNegative();
    breaker.record(t1, BreakerVerdict.SUCCESS, 1);
    breaker.record(t2, BreakerVerdict.SUCCESS, 1);
    assertThat(breaker.state()).isEqualTo("half_open");
    breaker.record(t3, BreakerVerdict.FAILURE, 1);
    assertThat(breaker.state()).isEqualTo("open");
  }

  @Test
  void closesWhenEveryTrialSucceeds() {
    TargetBreaker breaker = breaker(1, 10, 2);
    attempt(breaker, BreakerVerdict.FAILURE);
    clock.advance(Duration.ofSeconds(11));
    attempt(breaker, BreakerVerdict.SUCCESS);
    assertThat(breaker.state()).isEqualTo("half_open");
    attempt(breaker, BreakerVerdict.SUCCESS);
    assertThat(breaker.state()).isEqualTo("closed");
  }

  @Test
  void aTrialThatDoesNotCountFreesItsPlaceForAnother() {
    TargetBreaker breaker = breaker(1, 10, 1);
    attempt(breaker, BreakerVerdict.FAILURE);
    clock.advance(Duration.ofSeconds(11));
    attempt(breaker, BreakerVerdict.IGNORED);
    assertThat(breaker.state()).isEqualTo("half_open");
    attempt(breaker, BreakerVerdict.SUCCESS);
    assertThat(breaker.state()).isEqualTo("closed");
  }

  @Test
  void exposesItsLiveStateForTheGauge() {
    TargetBreaker breaker = breaker(1, 10, 1);
    assertThat(gauges).hasSize(1);
    assertThat(gauges.get(0).get()).isEqualTo("closed");
    attempt(breaker, BreakerVerdict.FAILURE);
    assertThat(gauges.get(0).get()).isEqualTo("open");
  }

  @Test
  void anAttemptThatBeganBeforeTheBreakerOpenedIsNotTakenForAHalfOpenTrial() {
    TargetBreaker breaker = breaker(2, 10, 1);
    long slow = breaker.acquire();
    attempt(breaker, BreakerVerdict.FAILURE);
    attempt(breaker, BreakerVerdict.FAILURE);
    assertThat(breaker.state()).isEqualTo("open");
    clock.advance(java.time.Duration.ofSeconds(11));
    long trial = breaker.acquire();
    assertThat(breaker.state()).isEqualTo("half_open");
    breaker.record(slow, BreakerVerdict.FAILURE, 1);
    assertThat(breaker.state()).as("the slow attempt's failure is stale").isEqualTo("half_open");
    breaker.record(trial, BreakerVerdict.SUCCESS, 1);
    assertThat(breaker.state()).isEqualTo("closed");
  }
}
