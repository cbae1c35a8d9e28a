package io.reliapi.policy.circuit;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.CircuitConfig;
import io.reliapi.config.CircuitConfig.RateRule;
import io.reliapi.config.CircuitConfig.WindowType;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The opt-in failure-rate and slow-call rules beside the consecutive-failure rule; time is a manual clock. */
class BreakerRateRulesTest {
  private static final long FAST = Duration.ofMillis(20).toNanos();
  private static final long SLOW = Duration.ofMillis(900).toNanos();
  private final ManualClock clock = new ManualClock();
  private final List<String> ejections = new ArrayList<>();
  private final GatewayEvents events = new GatewayEvents() {
    @Override
    public void deploymentEjected(String target, String deployment, String reason) {
      ejections.add(target + "/" + deployment + ":" + reason);
    }
  };

  private TargetBreaker breaker(int errorThreshold, RateRule rates) {
    return new TargetBreaker("api", "east", new CircuitConfig(true, errorThreshold, 30, 1, Optional.of(rates)),
        clock, events);
  }

  private static RateRule failureRate(WindowType type, int size, int minCalls, double percent) {
    return new RateRule(type, size, minCalls, Optional.of(percent), Optional.empty(), 100);
  }

  private static void attempt(TargetBreaker breaker, BreakerVerdict verdict, long durationNanos) {
    long permit = breaker.acquire();
    assertThat(permit).isNotNegative();
    breaker.record(permit, verdict, durationNanos);
  }

  /** Seven successes and three failures, the failures spread out: 30% failures, never three in a row. */
  private static void thirtyPercentFailures(TargetBreaker breaker) {
    for (int i = 0; i < 10; i++) {
      attempt(breaker, i % 3 == 1 ? BreakerVerdict.FAILURE : BreakerVerdict.SUCCESS, FAST);
    }
  }

  @Test
  void opensWhenTheFailureRateOfTheCountWindowReachesItsThreshold() {
    TargetBreaker breaker = breaker(100, failureRate(WindowType.COUNT, 20, 10, 25));
    for (int i = 0; i < 9; i++) {
      attempt(breaker, i % 3 == 1 ? BreakerVerdict.FAILURE : BreakerVerdict.SUCCESS, FAST);
    }
    assertThat(breaker.state()).as("fewer calls than min_calls decide nothing").isEqualTo("closed");
    attempt(breaker, BreakerVerdict.FAILURE, FAST);
    assertThat(breaker.state()).isEqualTo("open");
    assertThat(ejections).containsExactly("api/east:failure_rate");
  }

  @Test
  void staysClosedBelowTheFailureRate() {
    TargetBreaker breaker = breaker(100, failureRate(WindowType.COUNT, 20, 10, 40));
    for (int i = 0; i < 5; i++) {
      thirtyPercentFailures(breaker);
    }
    assertThat(breaker.state()).isEqualTo("closed");
  }

  @Test
  void theConsecutiveRuleStillOpensBesideTheRateRule() {
    TargetBreaker breaker = breaker(3, failureRate(WindowType.COUNT, 100, 100, 50));
    attempt(breaker, BreakerVerdict.FAILURE, FAST);
    attempt(breaker, BreakerVerdict.SUCCESS, FAST);
    attempt(breaker, BreakerVerdict.FAILURE, FAST);
    attempt(breaker, BreakerVerdict.FAILURE, FAST);
    assertThat(breaker.state()).isEqualTo("closed");
    attempt(breaker, BreakerVerdict.FAILURE, FAST);
    assertThat(breaker.state()).isEqualTo("open");
    assertThat(ejections).containsExactly("api/east:consecutive_failures");
  }

  @Test
  void opensWhenTooManyCallsAreSlow() {
    TargetBreaker breaker = breaker(100, new RateRule(WindowType.COUNT, 10, 10, Optional.empty(),
        Optional.of(500L), 50));
    for (int i = 0; i < 9; i++) {
      attempt(breaker, BreakerVerdict.SUCCESS, i < 4 ? SLOW : FAST);
    }
    assertThat(breaker.state()).isEqualTo("closed");
    attempt(breaker, BreakerVerdict.SUCCESS, SLOW);
    assertThat(breaker.state()).isEqualTo("open");
    assertThat(ejections).containsExactly("api/east:slow_calls");
  }

  @Test
  void aTimeWindowForgetsCallsOlderThanItsSizeOnTheGatewaysClock() {
    TargetBreaker breaker = breaker(100, failureRate(WindowType.TIME, 10, 10, 50));
    for (int i = 0; i < 5; i++) {
      attempt(breaker, BreakerVerdict.FAILURE, FAST);
      attempt(breaker, BreakerVerdict.SUCCESS, FAST);
    }
    assertThat(breaker.state()).as("5 of 10 calls failed").isEqualTo("open");

    TargetBreaker later = breaker(100, failureRate(WindowType.TIME, 10, 10, 50));
    for (int i = 0; i < 6; i++) {
      attempt(later, BreakerVerdict.FAILURE, FAST);
    }
    clock.advance(Duration.ofSeconds(11));
    for (int i = 0; i < 10; i++) {
      attempt(later, i < 4 ? BreakerVerdict.FAILURE : BreakerVerdict.SUCCESS, FAST);
    }
    assertThat(later.state()).as("the six early failures left the window: 4 of 10").isEqualTo("closed");
  }

  @Test
  void aTargetsOwnBreakerEjectsNoDeployment() {
    TargetBreaker breaker = new TargetBreaker("api", null, new CircuitConfig(true, 1, 30, 1), clock, events);
    attempt(breaker, BreakerVerdict.FAILURE, FAST);
    assertThat(breaker.state()).isEqualTo("open");
    assertThat(ejections).isEmpty();
  }
}
