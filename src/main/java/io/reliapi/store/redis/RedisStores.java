package io.reliapi.store.redis;

import io.reliapi.config.RedisConfig;
import io.reliapi.config.ServerConfig;
import io.reliapi.store.Guarded;
import io.reliapi.store.Stores;
import io.reliapi.time.Clock;
import io.reliapi.time.Scheduler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Builds the Redis-backed stores of one gateway process, on one connection pool and one completion
 * channel shared by its event loops. Under {@code on_unavailable: degrade} the guarantees fall back to
 * this instance's memory while Redis is down; the in-memory stand-ins are made here as well.
 */
public final class RedisStores {
  private RedisStores() {}

  /**
   * Connects the stores. The future completes once the completion channel is subscribed, or after
   * {@code redis.timeout_ms} at most: a Redis that is down at startup does not keep the gateway from
   * starting; it is just not ready until Redis answers.
   */
  public static Future<Stores> connect(Vertx vertx, RedisConfig config, ServerConfig server, Clock clock,
      Scheduler scheduler) {
    return connect(vertx, config, server, clock, scheduler, RedisIdempotencyStore.LEASE_MS);
  }

  /** As {@link #connect(Vertx, RedisConfig, ServerConfig, Clock, Scheduler)}, with a chosen claim lease. */
  public static Future<Stores> connect(Vertx vertx, RedisConfig config, ServerConfig server, Clock clock,
      Scheduler scheduler, long leaseMs) {
    RedisLink link = new RedisLink(vertx, config);
    RedisIdempotencyStore idempotency = new RedisIdempotencyStore(link, clock, scheduler, leaseMs);
    Stores local = Stores.inMemory(server, clock, scheduler);
    boolean degrade = config.onUnavailable() == RedisConfig.OnUnavailable.DEGRADE;
    RedisDeploymentStates deployments = new RedisDeploymentStates(link, clock);
    Stores stores = new Stores(
        new RedisResponseCache(link, clock),
        new Guarded<>(idempotency, local.idempotency().local(), degrade),
        new Guarded<>(new RedisRateLimiter(link, clock), local.rateLimits().local(), degrade),
        new Guarded<>(new RedisBudgetLedger(link, clock, scheduler), local.budgets().local(), degrade),
        deployments,
        new Guarded<>(new RedisUsageLimiter(link, clock), local.usageLimits().local(), degrade),
        link::ping,
        () -> Future.join(idempotency.close(), deployments.close()).eventually(link::close).mapEmpty());
    Promise<Stores> connected = Promise.promise();
    Future.join(idempotency.start(), deployments.start()).onComplete(subscribed -> connected.tryComplete(stores));
    vertx.setTimer(config.timeoutMs(), t -> connected.tryComplete(stores));
    return connected.future();
  }
}
