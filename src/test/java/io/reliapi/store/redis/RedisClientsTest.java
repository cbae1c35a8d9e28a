package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.RedisConfig;
import io.reliapi.config.Secret;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the {@code redis} config becomes the client library's options (issue 17, items 1, 3 and 4). */
class RedisClientsTest {
  private static final Secret PASSWORD = new Secret("REDIS_PASSWORD", "p@ss:word");

  private static RedisConfig config(RedisConfig.Mode mode, List<String> endpoints, Optional<Secret> password) {
    return new RedisConfig(mode, endpoints, mode == RedisConfig.Mode.SENTINEL ? Optional.of("main") : Optional.empty(),
        RedisConfig.OnUnavailable.FAIL_CLOSED, 500, password, Optional.empty(), RedisConfig.ReplicaAck.NONE);
  }

  @Test
  void aPasswordFromTheEnvironmentGoesIntoEveryUrlThatHasNoneOfItsOwn() {
    assertThat(RedisClients.withPassword("redis://r:6379/0", PASSWORD)).isEqualTo("redis://:p%40ss%3Aword@r:6379/0");
    assertThat(RedisClients.withPassword("rediss://gateway@r:6380", PASSWORD))
        .isEqualTo("rediss://gateway:p%40ss%3Aword@r:6380");
    assertThat(RedisClients.withPassword("redis://gateway:own@r", PASSWORD)).isEqualTo("redis://gateway:own@r");
  }

  @Test
  void aClusterPoolFollowsTheSeedsAndItsChannelTriesEachSeedInTurn() {
    RedisConfig cluster = config(RedisConfig.Mode.CLUSTER, List.of("redis://a:7000", "redis://b:7001"),
        Optional.of(PASSWORD));
    RedisOptions commands = RedisClients.commands(cluster);
    assertThat(commands.getType()).isEqualTo(RedisClientType.CLUSTER);
    assertThat(commands.getEndpoints())
        .containsExactly("redis://:p%40ss%3Aword@a:7000", "redis://:p%40ss%3Aword@b:7001");
    assertThat(commands.getHashSlotCacheTTL()).isEqualTo(RedisClients.TOPOLOGY_TTL_MS);
    assertThat(RedisClients.signals(cluster)).hasSize(2).allSatisfy(options -> {
      assertThat(options.getType()).isEqualTo(RedisClientType.STANDALONE);
      assertThat(options.getEndpoints()).hasSize(1);
    });
  }

  @Test
  void aSentinelPoolAsksTheSentinelsForThePrimaryByName() {
    RedisConfig sentinel = config(RedisConfig.Mode.SENTINEL, List.of("redis://s1:26379", "redis://s2:26379"),
        Optional.empty());
    RedisOptions commands = RedisClients.commands(sentinel);
    assertThat(commands.getType()).isEqualTo(RedisClientType.SENTINEL);
    assertThat(commands.getRole()).isEqualTo(RedisRole.MASTER);
    assertThat(commands.getMasterName()).isEqualTo("main");
    assertThat(commands.isAutoFailover()).isTrue();
    assertThat(RedisClients.signals(sentinel)).singleElement().satisfies(options -> {
      assertThat(options.getType()).isEqualTo(RedisClientType.SENTINEL);
      assertThat(options.isAutoFailover()).isFalse();
    });
  }

  @Test
  void aRedissUrlTurnsOnTlsWithHostnameVerification() {
    RedisOptions plain = RedisClients.commands(
        config(RedisConfig.Mode.STANDALONE, List.of("redis://r"), Optional.empty()));
    RedisOptions tls = RedisClients.commands(
        config(RedisConfig.Mode.STANDALONE, List.of("rediss://r"), Optional.empty()));
    assertThat(plain.getNetClientOptions().isSsl()).isFalse();
    assertThat(tls.getNetClientOptions().isSsl()).isTrue();
    assertThat(tls.getNetClientOptions().getHostnameVerificationAlgorithm()).isEqualTo("HTTPS");
  }

  @Test
  void everyTlsConnectionOfEveryModeNamesItsHostInTheHandshake() {
    for (RedisConfig.Mode mode : RedisConfig.Mode.values()) {
      RedisConfig tls = config(mode, List.of("rediss://redis:6380", "rediss://other:6380"), Optional.empty());
      List<RedisOptions> all = new ArrayList<>(RedisClients.signals(tls));
      all.add(RedisClients.commands(tls));
      assertThat(all).as(mode.name()).allSatisfy(options ->
          assertThat(options.getNetClientOptions().getSslEngineOptions()).isInstanceOf(ServerNamingEngine.class));
    }
  }
}
