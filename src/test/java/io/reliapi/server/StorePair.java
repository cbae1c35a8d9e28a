package io.reliapi.server;

import io.reliapi.server.HangUpEndToEndTest.Store;
import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.RedisServer;
import java.time.Duration;
import java.util.Map;

/**
 * One config run by two gateways, one keeping its state in memory and one in a Redis server of its own, each on a
 * manual clock of its own: for tests that prove a guarantee with both stores.
 */
final class StorePair implements AutoCloseable {
  private final RedisServer redis;
  private final ManualClock memoryClock = new ManualClock();
  private final ManualClock sharedClock = new ManualClock();
  final GatewayHarness memory;
  final GatewayHarness shared;

  private StorePair(String config, Map<String, String> env) {
    redis = RedisServer.start();
    memory = withEnv(GatewayHarness.yaml(config), env).clock(memoryClock, ManualScheduler.manual(memoryClock)).start();
    shared = withEnv(GatewayHarness.yaml("redis: {url: \"" + redis.url() + "\"}\n" + config), env)
        .clock(sharedClock, ManualScheduler.manual(sharedClock)).start();
  }

  static StorePair start(String config, Map<String, String> env) {
    return new StorePair(config, env);
  }

  private static GatewayHarness.Builder withEnv(GatewayHarness.Builder builder, Map<String, String> env) {
    env.forEach(builder::env);
    return builder;
  }

  GatewayHarness gateway(Store store) {
    return store == Store.MEMORY ? memory : shared;
  }

  ManualClock clock(Store store) {
    return store == Store.MEMORY ? memoryClock : sharedClock;
  }

  /** Moves both gateways' clocks on by {@code step}. */
  void advance(Duration step) {
    memoryClock.advance(step);
    sharedClock.advance(step);
  }

  @Override
  public void close() {
    shared.close();
    memory.close();
    redis.close();
  }
}
