package io.reliapi.store.redis;

import io.reliapi.testing.RedisSentinels;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;

/**
 * A primary watched by three Sentinels dies under load and the Sentinels promote its replica (issue 17,
 * item 3); see {@link FailoverUnderLoadContract}. The gateway knows only the Sentinels and the primary's
 * name; the two instances ask the Sentinels in different orders.
 */
class SentinelFailoverTest extends FailoverUnderLoadContract {
  private RedisSentinels sentinels;

  @BeforeEach
  void startSentinels() {
    sentinels = RedisSentinels.start();
  }

  @Override
  String redis(int instance) {
    return "{mode: sentinel, sentinels: %s, master_name: %s, timeout_ms: 500, wait_replicas: 1}"
        .formatted(sentinels.yamlUrls(instance), RedisSentinels.MASTER_NAME);
  }

  @Override
  String client() {
    return "team";
  }

  @Override
  void killPrimary() {
    sentinels.primary().kill();
  }

  @Override
  void awaitPromoted() {
    sentinels.awaitPromoted(Duration.ofSeconds(20));
  }

  @Override
  String get(String key) {
    return sentinels.replica().command("GET " + key);
  }

  @Override
  void closeRedis() {
    sentinels.close();
  }
}
