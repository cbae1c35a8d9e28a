package io.reliapi.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The test Redis is real, and keeps its data across a stop and restart. */
class RedisServerTest {
  @Test
  void keepsDataAcrossARestart() {
    try (RedisServer redis = RedisServer.start()) {
      assertThat(redis.command("SET k v")).isEqualTo("+OK");
      redis.restart();
      assertThat(redis.command("GET k")).isEqualTo("$1\r\nv");
    }
  }

  @Test
  void sleepsOnDebugSleepAndAnswersWhatWaitedOnceAwake() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      var sleeper = redis.sleep(0.5);
      var waiting = java.util.concurrent.CompletableFuture.supplyAsync(() -> redis.command("SET after sleep"));
      assertThat(waiting).isNotDone();
      RedisServer.awaitWaking(sleeper);
      assertThat(waiting.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("+OK");
      assertThat(redis.command("GET after")).isEqualTo("$5\r\nsleep");
    }
  }
}
