package io.reliapi.store.redis;

import static org.awaitility.Awaitility.await;

import io.reliapi.config.RedisConfig;
import io.reliapi.config.ServerConfig;
import io.reliapi.store.IdempotencyScope;
import io.reliapi.store.IdempotencyStore;
import io.reliapi.store.Stores;
import io.reliapi.testing.RedisServer;
import io.reliapi.time.Clock;
import io.reliapi.time.Scheduler;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real redis-server and a Vert.x instance for the tests of one class, and the Redis stores of as many
 * "gateway instances" (each its own connection pool and completion channel) as a test asks for. Register it
 * on a static field ({@code @RegisterExtension}); it closes everything after the class's last test.
 */
final class RedisFixture implements AutoCloseable, AfterAllCallback {
  final RedisServer redis = RedisServer.start();
  final Vertx vertx = Vertx.vertx();
  private final List<Stores> opened = new ArrayList<>();

  static ServerConfig server() {
    return new ServerConfig(ServerConfig.DEFAULT_HOST, 0, ServerConfig.DEFAULT_MAX_BODY_BYTES,
        ServerConfig.DEFAULT_MAX_RESPONSE_BYTES, ServerConfig.DEFAULT_DEADLINE_MS, ServerConfig.DEFAULT_IDLE_TIMEOUT_S,
        ServerConfig.DEFAULT_DRAIN_TIMEOUT_MS, 1 << 20, 1 << 20);
  }

  RedisConfig config(RedisConfig.OnUnavailable onUnavailable) {
    return new RedisConfig(redis.url(), onUnavailable, 2_000);
  }

  /** Returns the Redis stores of one more gateway instance. */
  Stores instance(Clock clock, Scheduler scheduler) {
    return instance(clock, scheduler, RedisIdempotencyStore.LEASE_MS);
  }

  Stores instance(Clock clock, Scheduler scheduler, long leaseMs) {
    return instance(clock, scheduler, leaseMs, config(RedisConfig.OnUnavailable.FAIL_CLOSED));
  }

  /** Returns the stores of one more instance whose Redis commands may take at most {@code timeoutMs}. */
  Stores instanceWithTimeout(Clock clock, Scheduler scheduler, long timeoutMs) {
    return instance(clock, scheduler, RedisIdempotencyStore.LEASE_MS,
        new RedisConfig(redis.url(), RedisConfig.OnUnavailable.FAIL_CLOSED, timeoutMs));
  }

  /** Returns the Redis stores of one more instance on database {@code database} of the same Redis. */
  Stores instanceOnDatabase(Clock clock, Scheduler scheduler, int database) {
    String url = redis.url().substring(0, redis.url().lastIndexOf('/') + 1) + database;
    return instance(clock, scheduler, RedisIdempotencyStore.LEASE_MS,
        new RedisConfig(url, RedisConfig.OnUnavailable.FAIL_CLOSED, 2_000));
  }

  /** Returns the idempotency store of one more instance whose commands may take 300 ms, its first command answered. */
  IdempotencyStore impatientIdempotency(Clock clock, Scheduler scheduler) {
    IdempotencyStore impatient = instanceWithTimeout(clock, scheduler, 300).idempotency().shared();
    IdempotencyScope warmUp = new IdempotencyScope("client", "target", "warm-up");
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> impatient.await(warmUp, 0).await(10, TimeUnit.SECONDS).isEmpty());
    return impatient;
  }

  private Stores instance(Clock clock, Scheduler scheduler, long leaseMs, RedisConfig config) {
    try {
      Stores stores = RedisStores.connect(vertx, config, server(), clock, scheduler, leaseMs)
          .await(10, TimeUnit.SECONDS);
      opened.add(stores);
      return stores;
    } catch (Exception e) {
      throw new IllegalStateException("redis stores did not connect", e);
    }
  }

  /** Forgets everything stored and closes the stores opened so far. */
  void reset() {
    closeStores();
    redis.command("FLUSHALL");
  }

  private void closeStores() {
    for (Stores stores : opened) {
      try {
        stores.close().get().await(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // Closing is best effort between tests.
      }
    }
    opened.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  @Override
  public void close() {
    closeStores();
    vertx.close();
    redis.close();
  }
}
