package io.reliapi.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link DeploymentStates} must do, in memory or in Redis, as seen by the instance that wrote. */
public abstract class DeploymentStatesContract {
  protected static final long NOW = 1_800_000_000_000L;
  protected DeploymentStates states;

  /** Returns new states in which nothing cools down or is ejected. */
  protected abstract DeploymentStates newStates();

  @BeforeEach
  void createStates() {
    states = newStates();
  }

  @Test
  void aDeploymentNeverCooledOrEjectedIsInService() {
    assertThat(states.coolingUntil("api", "east")).isZero();
    assertThat(states.ejection("api", "east")).isNull();
  }

  @Test
  void aCooldownIsReadBackByTheInstanceThatSetItAtOnce() {
    states.coolDown("api", "east", NOW + 5_000);
    assertThat(states.coolingUntil("api", "east")).isEqualTo(NOW + 5_000);
  }

  @Test
  void aLaterEndExtendsACooldownAndAnEarlierOneNeverShortensIt() {
    states.coolDown("api", "east", NOW + 5_000);
    states.coolDown("api", "east", NOW + 9_000);
    states.coolDown("api", "east", NOW + 1_000);
    assertThat(states.coolingUntil("api", "east")).isEqualTo(NOW + 9_000);
  }

  @Test
  void cooldownsOfOtherDeploymentsAndTargetsAreTheirOwn() {
    states.coolDown("api", "east", NOW + 5_000);
    assertThat(states.coolingUntil("api", "west")).isZero();
    assertThat(states.coolingUntil("other", "east")).isZero();
  }

  @Test
  void anEjectionKeepsItsFirstReasonUntilEjectionsAreCleared() {
    states.eject("api", "east", "unauthorized");
    states.eject("api", "east", "forbidden");
    assertThat(states.ejection("api", "east")).isEqualTo("unauthorized");
    assertThat(states.ejection("api", "west")).isNull();
    states.clearEjections();
    assertThat(states.ejection("api", "east")).isNull();
  }

  @Test
  void clearingEjectionsLeavesCooldownsAlone() {
    states.coolDown("api", "east", NOW + 5_000);
    states.eject("api", "west", "forbidden");
    states.clearEjections();
    assertThat(states.coolingUntil("api", "east")).isEqualTo(NOW + 5_000);
  }
}
