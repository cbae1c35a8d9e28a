package io.reliapi.policy.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.ConfigLoader;
import io.reliapi.config.GatewayConfig;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.TriedDeployments;
import io.reliapi.policy.circuit.BreakerVerdict;
import io.reliapi.policy.circuit.CircuitBreakers;
import io.reliapi.policy.circuit.TargetBreaker;
import io.reliapi.store.InMemoryDeploymentStates;
import io.reliapi.testing.ManualClock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeploymentPoolTest {
  private static final long NOW = 1_800_000_000_000L;
  private final GatewayConfig config = ConfigLoader.parse("""
      targets:
        api:
          base_url: "http://127.0.0.1:1"
          circuit: {error_threshold: 1, cooldown_s: 30}
          deployments: [{name: a}, {name: b}, {name: c, weight: 2}]
      """, name -> null);
  private final InMemoryDeploymentStates states = new InMemoryDeploymentStates();
  private final CircuitBreakers breakers = CircuitBreakers.create(config.targets().values(), new ManualClock(),
      new GatewayEvents() {});
  private final DeploymentPool pool = new DeploymentPool(config.targets().get("api"), states, breakers, () -> 0.0);

  private String chosen(TriedDeployments tried) {
    return ((DeploymentPool.Chosen) pool.choose(tried, Set.of(), NOW)).deployment().name();
  }

  private String chosen() {
    return chosen(new TriedDeployments());
  }

  private static TriedDeployments tried(String... names) {
    TriedDeployments tried = new TriedDeployments();
    for (String name : names) {
      tried.add(name);
    }
    return tried;
  }

  @Test
  void oneRequestAtATimeSplitsExactlyByWeight() {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 400; i++) {
      counts.merge(chosen(), 1, Integer::sum);
    }
    assertThat(counts).containsEntry("a", 100).containsEntry("b", 100).containsEntry("c", 200);
  }

  @Test
  void aRetryGoesToADeploymentTheRequestHasNotTriedThenToAnyButTheLatest() {
    assertThat(chosen(tried("a", "c"))).isEqualTo("b");
    for (int i = 0; i < 10; i++) {
      assertThat(chosen(tried("a", "b", "c"))).isNotEqualTo("c");
    }
  }

  @Test
  void aDeploymentCoolingDownIsLeftOutUntilItsCooldownEnds() {
    states.coolDown("api", "c", NOW + 5_000);
    for (int i = 0; i < 10; i++) {
      assertThat(chosen()).isNotEqualTo("c");
    }
    assertThat(pool.secondsUntilAvailable(new TriedDeployments(), NOW)).isZero();
    assertThat(((DeploymentPool.Chosen) pool.choose(tried("a", "b"), Set.of(), NOW + 5_000)).deployment().name())
        .isEqualTo("c");
  }

  @Test
  void theSecondsUntilADeploymentIsBackCountTheWaitsTheRequestWasAsked() {
    states.coolDown("api", "a", NOW + 9_000);
    states.coolDown("api", "b", NOW + 2_500);
    TriedDeployments tried = tried("c");
    tried.askedToWait("c", NOW + 30_000);
    assertThat(pool.secondsUntilAvailable(new TriedDeployments(), NOW)).as("c takes other requests").isZero();
    assertThat(pool.secondsUntilAvailable(tried, NOW)).as("not this one: b is back first").isEqualTo(3);
  }

  @Test
  void whenEveryDeploymentCoolsDownNoneIsChosenAndTheFirstBackSaysWhen() {
    states.coolDown("api", "a", NOW + 9_000);
    states.coolDown("api", "b", NOW + 2_500);
    states.coolDown("api", "c", NOW + 60_000);
    assertThat(pool.choose(new TriedDeployments(), Set.of(), NOW)).isEqualTo(new DeploymentPool.AllCoolingDown(3));
    assertThat(pool.secondsUntilAvailable(new TriedDeployments(), NOW)).isEqualTo(3);
  }

  @Test
  void aDeploymentBehindAnOpenBreakerIsLeftOutAndAllOpenSaysSo() {
    for (String name : new String[] {"a", "b", "c"}) {
      TargetBreaker breaker = breakers.of("api", name).orElseThrow();
      breaker.record(breaker.acquire(), BreakerVerdict.FAILURE, 1);
    }
    assertThat(pool.choose(new TriedDeployments(), Set.of(), NOW)).isEqualTo(new DeploymentPool.AllOpen(30));
  }

  @Test
  void anEjectedDeploymentIsLeftOutButTheLastInServiceIsNeverEjected() {
    assertThat(pool.eject(config.targets().get("api").deployments().get(0), "unauthorized")).isTrue();
    assertThat(pool.eject(config.targets().get("api").deployments().get(1), "forbidden")).isTrue();
    assertThat(pool.eject(config.targets().get("api").deployments().get(2), "forbidden")).isFalse();
    for (int i = 0; i < 5; i++) {
      assertThat(chosen()).isEqualTo("c");
    }
  }

  @Test
  void whenOtherInstancesEjectedEveryDeploymentTheyAreTriedAnyway() {
    states.eject("api", "a", "unauthorized");
    states.eject("api", "b", "unauthorized");
    states.eject("api", "c", "unauthorized");
    assertThat(pool.choose(new TriedDeployments(), Set.of(), NOW)).isInstanceOf(DeploymentPool.Chosen.class);
  }

  @Test
  void deploymentsPassedOverForThisAttemptAreNotChosenAgain() {
    assertThat(((DeploymentPool.Chosen) pool.choose(new TriedDeployments(), Set.of("c", "a"), NOW)).deployment()
        .name()).isEqualTo("b");
    assertThat(pool.choose(new TriedDeployments(), Set.of("a", "b", "c"), NOW)).isInstanceOf(DeploymentPool.AllOpen.class);
  }

  @Test
  void underLoadTheDeploymentWithFewerRequestsInFlightPerUnitOfWeightBeatsTheRoundRobinsPick() {
    pool.started(2);
    pool.started(2);
    pool.started(2);
    pool.started(0);
    // The round robin proposes c first (1.5 in flight per unit of weight); the draw (0.0) proposes a (1): a wins.
    assertThat(chosen()).isEqualTo("a");
  }
}
