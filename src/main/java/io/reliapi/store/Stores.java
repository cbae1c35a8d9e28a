package io.reliapi.store;

import io.reliapi.config.ServerConfig;
import io.reliapi.time.Clock;
import io.reliapi.time.Scheduler;
import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * The state stores one gateway shares across its event loops: in this process's memory, or in Redis and
 * shared with every instance on it. Stores behind a guarantee come with their local stand-in for a Redis
 * outage ({@link Guarded}); the cache needs none, as a cache that cannot be reached is simply a miss.
 *
 * @param deployments the deployments left out (cooling down, ejected); never behind a guarantee, as reads are
 *                    always local
 * @param ready answers whether the stores can be used now (Redis answers a PING); for {@code /readyz}
 * @param close lets go of connections when the gateway stops
 */
public record Stores(
    ResponseCache cache,
    Guarded<IdempotencyStore> idempotency,
    Guarded<RateLimiter> rateLimits,
    Guarded<BudgetLedger> budgets,
    DeploymentStates deployments,
    Guarded<UsageLimiter> usageLimits,
    Supplier<Future<Boolean>> ready,
    Supplier<Future<Void>> close) {

  /** Returns stores held in this process's memory, bounded by the server's byte limits. */
  public static Stores inMemory(ServerConfig server, Clock clock, Scheduler scheduler) {
    return new Stores(new InMemoryResponseCache(clock, server.cacheMaxBytes()),
        Guarded.local(new InMemoryIdempotencyStore(clock, scheduler, server.idempotencyMaxBytes())),
        Guarded.local(new InMemoryRateLimiter(clock)),
        Guarded.local(new InMemoryBudgetLedger(clock)),
        new InMemoryDeploymentStates(),
        Guarded.local(new InMemoryUsageLimiter(clock)),
        () -> Future.succeededFuture(true),
        Future::succeededFuture);
  }
}
