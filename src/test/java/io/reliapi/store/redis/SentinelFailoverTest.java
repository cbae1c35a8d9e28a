package io.reliapi.store.redis;

import io.reliapi.testing.RedisSentinels;
import io.reliapi.testing.RedisTlsAcl;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;

/**
 * A primary watched by three Sentinels dies under load and the Sentinels promote its replica (issue 17,
 * item 3); see {@link FailoverUnderLoadContract}. The gateway knows only the Sentinels and the primary's
 * name; the two instances ask the Sentinels in different orders.
 */
class SentinelFailoverTest extends FailoverUnderLoadContract {
  private RedisSentinels sentinels;
  private RedisTlsAcl security;

  /** Returns how the Sentinels and their Redis are locked down, or null for open ones. */
  RedisTlsAcl lockedDown() {
    return null;
  }

  @BeforeEach
  void startSentinels() {
    security = lockedDown();
    sentinels = RedisSentinels.start(security);
  }

  @Override
  String redis(int instance) {
    return "{mode: sentinel, %s, master_name: %s, timeout_ms: 500, wait_replicas: 1}".formatted(
        RedisTlsAcl.gatewayOptions(security, "sentinels", sentinels.yamlUrls(instance)), RedisSentinels.MASTER_NAME);
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
