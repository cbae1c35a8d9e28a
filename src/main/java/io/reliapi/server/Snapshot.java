package io.reliapi.server;

import io.reliapi.config.GatewayConfig;
import io.reliapi.pipeline.Pipeline;
import io.reliapi.policy.access.ClientKeys;
import io.reliapi.policy.circuit.CircuitBreakers;
import io.reliapi.upstream.UpstreamClient;
import java.util.Map;
import java.util.function.Function;

/**
 * One loaded configuration and everything derived from it that every event loop shares: client keys,
 * admin keys, breakers (carried over from the previous snapshot for unchanged targets) and the recipe for
 * an event loop's pipeline. Immutable; a reload publishes a new one, and each request reads the current
 * one once, when it starts, so it finishes on the snapshot it started with.
 *
 * @param version        1 for the config the gateway started with, one more per reload that changed it
 * @param digest         the first 12 hex digits of the SHA-256 of the config file's text
 * @param loadedAtMillis when it was loaded, epoch milliseconds
 * @param pipelines      builds one event loop's pipeline around that loop's upstream clients
 */
public record Snapshot(
    long version,
    String digest,
    long loadedAtMillis,
    GatewayConfig config,
    ClientKeys keys,
    ClientKeys adminKeys,
    CircuitBreakers breakers,
    Function<Map<String, UpstreamClient>, Pipeline> pipelines) {}
