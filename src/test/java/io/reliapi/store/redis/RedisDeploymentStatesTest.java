package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliapi.store.DeploymentStates;
import io.reliapi.store.DeploymentStatesContract;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The deployment states contract against a real redis-server, and what every instance on it learns. */
class RedisDeploymentStatesTest extends DeploymentStatesContract {
  @RegisterExtension
  static final RedisFixture fixture = new RedisFixture();
  private final ManualClock clock = new ManualClock(Instant.ofEpochMilli(NOW));

  @Override
  protected DeploymentStates newStates() {
    fixture.reset();
    return instance();
  }

  private DeploymentStates instance() {
    return fixture.instance(clock, ManualScheduler.manual(clock)).deployments();
  }

  private static boolean stored() {
    return fixture.redis.command("HEXISTS reliapi:deploy:{deploy}:cool api:east").equals(":1");
  }

  @Test
  void anotherInstanceLearnsOfACooldownWithoutAskingRedis() {
    DeploymentStates other = instance();
    states.coolDown("api", "east", NOW + 7_000);
    await().atMost(Duration.ofSeconds(5)).until(() -> other.coolingUntil("api", "east") == NOW + 7_000);
  }

  @Test
  void anInstanceThatStartsLaterReadsTheCooldownsSetBefore() {
    states.coolDown("api", "east", NOW + 7_000);
    await().atMost(Duration.ofSeconds(5)).until(() -> stored());
    DeploymentStates late = instance();
    await().atMost(Duration.ofSeconds(5)).until(() -> late.coolingUntil("api", "east") == NOW + 7_000);
  }

  @Test
  void theCooldownsExpireWithTheLastOneAndEndedOnesAreDropped() {
    states.coolDown("api", "east", NOW + 7_000);
    await().atMost(Duration.ofSeconds(5)).until(() -> stored());
    long ttl = Long.parseLong(fixture.redis.command("PTTL reliapi:deploy:{deploy}:cool").substring(1));
    assertThat(ttl).isBetween(1L, 7_000L);
    clock.advance(Duration.ofSeconds(8));
    states.coolDown("api", "west", clock.epochMillis() + 3_000);
    await().atMost(Duration.ofSeconds(5)).until(() -> !stored());
    assertThat(fixture.redis.command("HEXISTS reliapi:deploy:{deploy}:cool api:west")).isEqualTo(":1");
  }

  @Test
  void anotherInstanceEjectsTooAndKeepsItUntilItsOwnReload() {
    DeploymentStates other = instance();
    states.eject("api", "east", "unauthorized");
    await().atMost(Duration.ofSeconds(5)).until(() -> "unauthorized".equals(other.ejection("api", "east")));
    states.clearEjections();
    assertThat(other.ejection("api", "east")).isEqualTo("unauthorized");
    other.clearEjections();
    assertThat(other.ejection("api", "east")).isNull();
  }

  /**
   * Two fleets on two databases of one Redis (staging on /1, production on /0) share no key, and no announcement
   * either: pub/sub ignores the database, so one fleet's refused key ejected the other's deployment of the same name.
   */
  @Test
  void announcementsOnAnotherDatabaseLeaveTheDeploymentsHereAlone() {
    DeploymentStates peer = instance();
    DeploymentStates elsewhere = fixture.instanceOnDatabase(clock, ManualScheduler.manual(clock), 1).deployments();
    DeploymentStates elsewherePeer = fixture.instanceOnDatabase(clock, ManualScheduler.manual(clock), 1)
        .deployments();
    states.eject("api", "east", "unauthorized");
    states.coolDown("api", "north", NOW + 7_000);
    await().atMost(Duration.ofSeconds(5)).until(() -> peer.ejection("api", "east") != null
        && peer.coolingUntil("api", "north") == NOW + 7_000);

    // Announced after those two, on the same Redis: once it arrived, they would have too.
    elsewherePeer.eject("api", "west", "forbidden");
    await().atMost(Duration.ofSeconds(5)).until(() -> "forbidden".equals(elsewhere.ejection("api", "west")));
    assertThat(elsewhere.ejection("api", "east")).isNull();
    assertThat(elsewhere.coolingUntil("api", "north")).isLessThan(NOW);
    assertThat(states.ejection("api", "west")).isNull();
  }
}
