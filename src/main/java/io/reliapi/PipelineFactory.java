package io.reliapi;

import io.reliapi.config.GatewayConfig;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.pipeline.Pipeline;
import io.reliapi.policy.access.AccessStage;
import io.reliapi.policy.cache.CacheStage;
import io.reliapi.policy.cache.SingleFlight;
import io.reliapi.policy.idempotency.IdempotencyStage;
import io.reliapi.policy.ratelimit.RateLimitStage;
import io.reliapi.store.Stores;
import io.reliapi.time.Clock;
import io.reliapi.time.Scheduler;
import io.reliapi.upstream.UpstreamClient;
import io.reliapi.upstream.UpstreamStage;
import java.util.List;
import java.util.Map;

/**
 * The one place the order of the pipeline is written down. Every proxy route runs through it:
 *
 * <pre>
 *   Access → RateLimit → Idempotency → Cache → [Fallback(...)] → Upstream attempt
 * </pre>
 *
 * (Bracketed stages arrive with their own issues.) Idempotency runs before the cache, so a keyed
 * request's outcome is kept whichever of the two answers it, and after rate limiting, whose rejections
 * must not touch a key. The stores (in memory or Redis, made by the gateway) and the cache's
 * single-flight table are shared by the pipelines of every event loop.
 */
final class PipelineFactory {
  private final GatewayConfig config;
  private final Clock clock;
  private final Scheduler scheduler;
  private final GatewayEvents events;
  private final Stores stores;
  private final SingleFlight cacheFlights = new SingleFlight();

  PipelineFactory(GatewayConfig config, Clock clock, Scheduler scheduler, GatewayEvents events, Stores stores) {
    this.config = config;
    this.clock = clock;
    this.scheduler = scheduler;
    this.events = events;
    this.stores = stores;
  }

  /** Builds one event loop's pipeline around its own upstream clients. */
  Pipeline build(Map<String, UpstreamClient> upstreams) {
    long maxStoredBytes = config.server().maxResponseBytes();
    return Pipeline.of(List.of(
            new AccessStage(),
            new RateLimitStage(stores.rateLimits()),
            new IdempotencyStage(stores.idempotency(), clock, scheduler, events, maxStoredBytes),
            new CacheStage(stores.cache(), cacheFlights, clock, events, maxStoredBytes)),
        new UpstreamStage(upstreams, config.server().maxResponseBytes(), clock, events));
  }

  Scheduler scheduler() {
    return scheduler;
  }
}
