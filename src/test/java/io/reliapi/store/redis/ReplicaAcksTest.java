package io.reliapi.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.config.RedisConfig;
import io.reliapi.testing.LogCapture;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A write a guarantee acts on, sent with {@code WAIT} (issue 17, item 2), on a Redis that has no replica: the
 * wait runs out, the write stands on the primary and its answer comes back; the log says once that replicas
 * do not acknowledge. (With replicas, {@code ClusterFailoverTest} and {@code SentinelFailoverTest} run
 * every claim and reservation this way.)
 */
class ReplicaAcksTest {
  private static final LuaScript WRITE = LuaScript.of("return redis.call('SET', KEYS[1], ARGV[1])");

  @RegisterExtension
  static final RedisFixture fixture = new RedisFixture();

  @Test
  void aWriteNoReplicaAcknowledgesStandsOnThePrimaryAndTheLogSaysSoOnce() throws Exception {
    RedisConfig config = new RedisConfig(RedisConfig.Mode.STANDALONE, List.of(fixture.redis.url()), Optional.empty(),
        RedisConfig.OnUnavailable.FAIL_CLOSED, 2_000, Optional.empty(), Optional.empty(),
        new RedisConfig.ReplicaAck(1, 20));
    fixture.redis.command("SCRIPT FLUSH");
    RedisLink link = new RedisLink(fixture.vertx, config);
    try (LogCapture logs = LogCapture.capture()) {
      for (String value : List.of("first", "second")) {
        var answer = link.evalAcknowledged(WRITE, List.of("acked"), null, value).await(10, TimeUnit.SECONDS);
        assertThat(answer.toString()).isEqualTo("OK");
        assertThat(fixture.redis.command("GET acked")).endsWith(value);
      }
      assertThat(logs.lines()).filteredOn(line -> line.contains("replicas do not acknowledge")).hasSize(1);
    } finally {
      link.close().await(5, TimeUnit.SECONDS);
    }
  }
}
