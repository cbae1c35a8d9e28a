package io.reliapi.server;

import io.reliapi.config.ServerConfig;
import io.vertx.core.transport.Transport;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The kernel interface the event loops use for sockets ({@code server.transport}). io_uring hands the kernel
 * reads and writes in batches, which on the benchmark of record took about 2 µs of kernel time off every
 * proxied request against epoll; hosts that forbid it (Docker's default seccomp profile, the
 * {@code kernel.io_uring_disabled} sysctl, kernels without the operations Netty needs) get epoll, and any other
 * system NIO.
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

  /** The transports to try in turn: the one named, or for {@code auto} each this host allows, fastest first. */
  static List<ServerConfig.Transport> candidates(ServerConfig.Transport wanted,
      Predicate<ServerConfig.Transport> available) {
    if (wanted != ServerConfig.Transport.AUTO) {
      if (!available.test(wanted)) {
        throw new Unavailable(wanted);
      }
      return List.of(wanted);
    }
    List<ServerConfig.Transport> allowed = FASTEST_FIRST.stream().filter(available).toList();
    return allowed.isEmpty() ? List.of(ServerConfig.Transport.NIO) : allowed;
  }

  /** Event loops built on a transport, and which one. */
  public record Started<L>(ServerConfig.Transport transport, L loops) {}

  /**
   * Builds the event loops on the first of the {@link #candidates} whose loops start. Under {@code auto} a
   * transport whose event loops cannot be built although the host said it was available is skipped with a
   * warning: Netty probes io_uring with a one-entry ring, and a kernel before 5.12 counts each event loop's full
   * ring against {@code RLIMIT_MEMLOCK}, so the probe can pass where the real rings are refused. A transport
   * named explicitly stops the start instead.
   */
  public static <L> Started<L> start(ServerConfig.Transport wanted, Predicate<ServerConfig.Transport> available,
      Function<ServerConfig.Transport, L> build, Consumer<String> warn) {
    List<ServerConfig.Transport> candidates = candidates(wanted, available);
    for (int i = 0; ; i++) {
      ServerConfig.Transport transport = candidates.get(i);
      try {
        return new Started<>(transport, build.apply(transport));
      } catch (RuntimeException e) {
        if (wanted != ServerConfig.Transport.AUTO) {
          throw new Unavailable(wanted);
        }
        if (i + 1 == candidates.size()) {
          throw e;
        }
        warn.accept("server.transport auto: the host allows " + transport.word() + " but its event loops could"
            + " not start (" + e.getMessage() + "); using " + candidates.get(i + 1).word());
      }
    }
  }

  /** Vert.x's handle on a transport other than {@code auto}. */
  public static Transport vertx(ServerConfig.Transport chosen) {
    return switch (chosen) {
      case IO_URING -> Transport.IO_URING;
      case EPOLL -> Transport.EPOLL;
      case NIO -> Transport.NIO;
      case AUTO -> throw new IllegalArgumentException("auto is resolved by candidates()");
    };
  }

  /** {@link #vertx}'s transport with every connection its servers accept counted against {@code connections}. */
  public static Transport counted(ServerConfig.Transport chosen, ConnectionCap connections) {
    return AcceptGate.around(vertx(chosen), connections);
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
