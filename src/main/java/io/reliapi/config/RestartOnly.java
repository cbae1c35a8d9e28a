package io.reliapi.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The keys a reload cannot change, because what they shape is built once at startup: the listening
 * socket, the server options, the state stores, the trace exporter and the trail buffer. A reload that
 * changes one is refused, one line per key, and the running config stays.
 */
public final class RestartOnly {
  private RestartOnly() {}

  /** Returns one problem line per restart-only key that differs between {@code running} and {@code loaded}. */
  public static List<String> changes(GatewayConfig running, GatewayConfig loaded) {
    List<String> out = new ArrayList<>();
    ServerConfig a = running.server();
    ServerConfig b = loaded.server();
    check(out, "server.host", a.host(), b.host());
    check(out, "server.port", a.port(), b.port());
    check(out, "server.idle_timeout_s", a.idleTimeoutS(), b.idleTimeoutS());
    check(out, "server.cache_max_bytes", a.cacheMaxBytes(), b.cacheMaxBytes());
    check(out, "server.idempotency_max_bytes", a.idempotencyMaxBytes(), b.idempotencyMaxBytes());
    check(out, "server.watch_config", a.watchConfig(), b.watchConfig());
    check(out, "server.max_buffered_bytes", a.maxBufferedBytes(), b.maxBufferedBytes());
    check(out, "server.max_connections", a.maxConnections(), b.maxConnections());
    check(out, "server.transport", a.transport().word(), b.transport().word());
    // The files and client_auth are reloadable (the listener takes new certificates); HTTPS on or off is a new socket.
    check(out, "server.tls", a.tls().isPresent() ? "https" : "http", b.tls().isPresent() ? "https" : "http");
    check(out, "admin.trail_size", running.admin().trailSize(), loaded.admin().trailSize());
    // Their values may hold credentials (a Redis URL's password): say only that they changed.
    if (!running.redis().equals(loaded.redis())) {
      out.add("redis: cannot change without a restart (the file's redis block differs from the running one)");
    }
    if (!running.telemetry().equals(loaded.telemetry())) {
      out.add("telemetry: cannot change without a restart (the file's telemetry block differs from the running one)");
    }
    return out;
  }

  private static void check(List<String> out, String path, Object running, Object loaded) {
    if (!Objects.equals(running, loaded)) {
      out.add(path + ": cannot change without a restart (running " + running + ", the file says " + loaded + ")");
    }
  }
}
