package io.reliapi.config;

import java.util.Locale;
import java.util.Optional;

/**
 * Listener and limits. {@code idleTimeoutS} closes client connections that send nothing for that long;
 * {@code drainTimeoutMs} bounds how long SIGTERM waits for in-flight requests. {@code cacheMaxBytes} and
 * {@code idempotencyMaxBytes} bound the memory of the in-memory response cache and of the completed
 * idempotency records. {@code watchConfig} reloads the config file when it changes. {@code bodyTimeoutMs}
 * bounds the time a request body may take to arrive, however steadily it trickles; {@code opsKey}, when set,
 * protects {@code /metrics} and {@code /readyz}. {@code maxBufferedBytes} bounds the sum of the request bodies and
 * upstream answers buffered at once, {@code maxConnections} the client connections open at once;
 * {@code transport} names the kernel interface the event loops use for sockets; {@code tls}, when present, makes
 * the listener HTTPS.
 */
public record ServerConfig(
    String host,
    int port,
    long maxBodyBytes,
    long maxResponseBytes,
    long deadlineMs,
    int idleTimeoutS,
    long drainTimeoutMs,
    long cacheMaxBytes,
    long idempotencyMaxBytes,
    boolean watchConfig,
    long bodyTimeoutMs,
    Optional<Secret> opsKey,
    long maxBufferedBytes,
    int maxConnections,
    Transport transport,
    Optional<ServerTls> tls) {

  /** How the event loops wait for and move socket data: {@code auto} is the fastest one this host allows. */
  public enum Transport {
    AUTO, IO_URING, EPOLL, NIO;

    /** The config file's word for it. */
    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8000;
  public static final long DEFAULT_MAX_BODY_BYTES = 10L * 1024 * 1024;
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 10L * 1024 * 1024;
  public static final long DEFAULT_DEADLINE_MS = 60_000;
  public static final int DEFAULT_IDLE_TIMEOUT_S = 60;
  public static final long DEFAULT_DRAIN_TIMEOUT_MS = 10_000;
  /** The default bound of each in-memory store: a share of the heap ({@link HeapShares}), at most 256 MiB. */
  public static final long DEFAULT_CACHE_MAX_BYTES = HeapShares.storeDefault(Runtime.getRuntime().maxMemory());
  public static final long DEFAULT_IDEMPOTENCY_MAX_BYTES = DEFAULT_CACHE_MAX_BYTES;
  public static final long DEFAULT_BODY_TIMEOUT_MS = 30_000;
  public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

  /** Limits without file watching, a body timeout or an ops key of their own: the defaults. */
  public ServerConfig(String host, int port, long maxBodyBytes, long maxResponseBytes, long deadlineMs,
      int idleTimeoutS, long drainTimeoutMs, long cacheMaxBytes, long idempotencyMaxBytes) {
    this(host, port, maxBodyBytes, maxResponseBytes, deadlineMs, idleTimeoutS, drainTimeoutMs, cacheMaxBytes,
        idempotencyMaxBytes, false, DEFAULT_BODY_TIMEOUT_MS, Optional.empty(), defaultMaxBufferedBytes(),
        DEFAULT_MAX_CONNECTIONS, Transport.AUTO, Optional.empty());
  }

  /** The default budget of buffered bytes: a quarter of the heap the process may grow to ({@link HeapShares}). */
  public static long defaultMaxBufferedBytes() {
    return HeapShares.bufferedDefault(Runtime.getRuntime().maxMemory());
  }

  public ServerConfig withTransport(Transport transport) {
    return new ServerConfig(host, port, maxBodyBytes, maxResponseBytes, deadlineMs, idleTimeoutS, drainTimeoutMs,
        cacheMaxBytes, idempotencyMaxBytes, watchConfig, bodyTimeoutMs, opsKey, maxBufferedBytes, maxConnections,
        transport, tls);
  }

  public ServerConfig withListen(String host, int port) {
    return new ServerConfig(host, port, maxBodyBytes, maxResponseBytes, deadlineMs, idleTimeoutS, drainTimeoutMs,
        cacheMaxBytes, idempotencyMaxBytes, watchConfig, bodyTimeoutMs, opsKey, maxBufferedBytes, maxConnections,
        transport, tls);
  }
}
