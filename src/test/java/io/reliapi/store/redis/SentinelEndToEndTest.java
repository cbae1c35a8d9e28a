package io.reliapi.store.redis;

import io.reliapi.testing.RedisSentinels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Two gateway instances that know only three Sentinels and the primary's name (issue 17, item 3): the
 * shared guarantees of {@link SharedStateContract} hold as on one Redis, completion signals included (the
 * instances ask the Sentinels in different orders).
 */
class SentinelEndToEndTest extends SharedStateContract {
  private static RedisSentinels sentinels;

  @BeforeAll
  static void startSentinels() {
    sentinels = RedisSentinels.start();
  }

  @AfterAll
  static void stopSentinels() {
    sentinels.close();
  }

  @BeforeEach
  void emptyPrimary() {
    sentinels.primary().command("FLUSHALL");
  }

  @Override
  String redis(int instance) {
    return "{mode: sentinel, sentinels: %s, master_name: %s, timeout_ms: %d}".formatted(
        sentinels.yamlUrls(instance), RedisSentinels.MASTER_NAME, TIMEOUT_MS);
  }

  @Override
  int keyCount(String pattern) {
    return sentinels.primary().keyCount(pattern);
  }

  @Override
  String get(String key) {
    return sentinels.primary().command("GET " + key);
  }
}
