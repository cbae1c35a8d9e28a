package io.reliapi.server;

import io.reliapi.config.GatewayConfig;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.observe.Metrics;
import io.reliapi.pipeline.Pipeline;
import io.reliapi.policy.access.ClientKeys;
import io.reliapi.time.Clock;
import io.reliapi.upstream.UpstreamClient;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What every server verticle shares: config, clock, keys, events, readiness and a count of requests in
 * flight. {@code pipelines} builds one pipeline per verticle around that verticle's own upstream clients.
 */
public record ServerParts(
    GatewayConfig config,
    Clock clock,
    ClientKeys keys,
    GatewayEvents events,
    Metrics metrics,
    Supplier<Future<Boolean>> ready,
    Function<Map<String, UpstreamClient>, Pipeline> pipelines,
    Function<io.vertx.core.Vertx, Map<String, UpstreamClient>> upstreams,
    AtomicInteger inFlight) {}
