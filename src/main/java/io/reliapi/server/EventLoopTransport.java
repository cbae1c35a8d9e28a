package io.reliapi.server;

import io.reliapi.config.ServerConfig;
import io.vertx.core.transport.Transport;
import java.util.List;
import java.util.function.Predicate;

/**
 * The kernel interface the event loops use for sockets ({@code server.transport}). io_uring hands the kernel
 * reads and writes in batches, which on the benchmark of record took about 2 µs of kernel time off every
 * proxied request against epoll; hosts that forbid it (Docker's default seccomp profile, the
 * {@code kernel.io_uring_disabled} sysctl, kernels before 5.14) get epoll, and any other system NIO.
 */
public final class EventLoopTransport {
  private static final List<ServerConfig.Transport> FASTEST_FIRST =
      List.of(ServerConfig.Transport.IO_URING, ServerConfig.Transport.EPOLL, ServerConfig.Transport.NIO);

  private EventLoopTransport() {}

  /** A transport named in the config that this host cannot give. */
  public static final class Unavailable extends RuntimeException {
    Unavailable(ServerConfig.Transport wanted) {
      super("server.transport " + wanted.word() + " is not available on this host (use auto to take the"
          + " fastest one that is)", null, false, false);
    }
  }

  /** The transport to run on: the one named, or for {@code auto} the fastest this host allows. */
  public static ServerConfig.Transport choose(ServerConfig.Transport wanted,
      Predicate<ServerConfig.Transport> available) {
    if (wanted != ServerConfig.Transport.AUTO) {
      if (!available.test(wanted)) {
        throw new Unavailable(wanted);
      }
      return wanted;
    }
    return FASTEST_FIRST.stream().filter(available).findFirst().orElse(ServerConfig.Transport.NIO);
  }

  /** Vert.x's handle on the transport {@link #choose} picked on this host. */
  public static Transport vertx(ServerConfig.Transport chosen) {
    return switch (chosen) {
      case IO_URING -> Transport.IO_URING;
      case EPOLL -> Transport.EPOLL;
      case NIO -> Transport.NIO;
      case AUTO -> throw new IllegalArgumentException("auto is resolved by choose()");
    };
  }

  /** Whether this host can run the transport: its native library loads and the kernel allows it. */
  public static boolean availableHere(ServerConfig.Transport transport) {
    if (transport == ServerConfig.Transport.NIO) {
      return true;
    }
    Transport vertx = vertx(transport);
    return vertx != null && vertx.available();
  }
}
