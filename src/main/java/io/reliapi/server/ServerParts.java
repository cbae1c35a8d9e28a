package io.reliapi.server;

import io.reliapi.http.ByteBudget;
import io.reliapi.observe.GatewayEvents;
import io.reliapi.observe.Metrics;
import io.reliapi.pipeline.Tracing;
import io.reliapi.policy.ratelimit.ClientRateLimit;
import io.reliapi.time.Clock;
import io.reliapi.time.Scheduler;
import io.reliapi.upstream.UpstreamClient;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Supplier;

/**
 * What every server verticle shares: the current {@link Snapshot} (read once per request), clock,
 * scheduler, events, metrics, tracing, readiness, the operator's routes ({@code /admin/}, {@code /ui}) and the
 * clients' rate limits (taken at ingress before any body is read, and by {@code /v1/models}), and the process-wide
 * limit of memory buffered for requests (the cap on client connections is counted where sockets are accepted,
 * AcceptGate).
 * {@code upstream} makes one event loop's client for one target, on the connection places the loop keeps for it.
 */
public record ServerParts(
    Supplier<Snapshot> current,
    Clock clock,
    Scheduler scheduler,
    GatewayEvents events,
    Metrics metrics,
    Tracing tracing,
    Supplier<Future<Boolean>> ready,
    UpstreamClient.Maker upstream,
    Handler<HttpServerRequest> operator,
    ClientRateLimit rateLimit,
    ByteBudget buffered) {}
