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
}
