package io.reliapi.reload;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliapi.testing.GatewayHarness;
import io.reliapi.testing.ManualClock;
import io.reliapi.testing.ManualScheduler;
import io.reliapi.testing.MetricSamples;
import io.reliapi.testing.RedisServer;
import io.reliapi.testing.TestHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A gateway started from a config file that a test rewrites and reloads, keeping its state in memory or in a Redis
 * server of its own, on a manual clock or the real one.
 */
final class ReloadableGateway implements AutoCloseable {
  /** Where the gateway keeps its state. */
  enum Store { MEMORY, REDIS }

  private final Path file;
  private final String redisLine;
  private final RedisServer redis;
  final GatewayHarness gw;
  final TestHttp http;

  private ReloadableGateway(Path dir, Store store, String config, Map<String, String> env, ManualClock clock,
      int eventLoops) {
    this.file = dir.resolve("config.yaml");
    this.redis = store == Store.REDIS ? RedisServer.start() : null;
    this.redisLine = redis == null ? "" : "redis: {url: \"" + redis.url() + "\"}\n";
    write(config);
    GatewayHarness.Builder builder = GatewayHarness.file(file).eventLoops(eventLoops);
    env.forEach(builder::env);
    if (clock != null) {
      builder.clock(clock, ManualScheduler.manual(clock));
    }
    this.gw = builder.start();
    this.http = gw.http;
  }

  /** Starts on the real clock and timers. */
  static ReloadableGateway start(Path dir, Store store, String config, Map<String, String> env) {
    return new ReloadableGateway(dir, store, config, env, null, 2);
  }

  /** Starts on the real clock and timers, with one event loop (so one connection pool per target). */
  static ReloadableGateway startOnOneLoop(Path dir, String config) {
    return new ReloadableGateway(dir, Store.MEMORY, config, Map.of(), null, 1);
  }

  /** Starts on {@code clock} and timers driven by it. */
  static ReloadableGateway start(Path dir, Store store, String config, Map<String, String> env, ManualClock clock) {
    return new ReloadableGateway(dir, store, config, env, clock, 2);
  }

  /** Replaces the file with {@code config} (the store's {@code redis} block added) and reloads it. */
  void reload(String config) {
    write(config);
    try {
      String result = gw.gateway().reload("admin").await(20, TimeUnit.SECONDS).result();
      assertThat(result).isEqualTo("reloaded");
    } catch (Exception e) {
      throw new IllegalStateException("reload did not finish", e);
    }
  }

  MetricSamples metrics() {
    return MetricSamples.scrape(gw);
  }

  private void write(String config) {
    try {
      Files.writeString(file, redisLine + config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    gw.close();
    if (redis != null) {
      redis.close();
    }
  }
}
