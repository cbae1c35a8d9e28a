package io.reliapi;

import io.reliapi.config.GatewayConfig;
import io.reliapi.config.HeapShares;
import io.reliapi.config.TargetConfig;
import io.reliapi.observe.Logging;
import io.reliapi.server.EventLoopTransport;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Runs a gateway as the process: starts it, prints one startup line, reloads its config on SIGHUP, drains
 * on SIGTERM and exits 0.
 */
final class Server {
  private static final Logger LOG = LoggerFactory.getLogger(Server.class);

  private Server() {}

  /**
   * Starts the gateway; returns null (after logging why) if it could not start. With
   * {@code exitAfterStart} it drains and exits 0 right after starting: the JDK's AOT cache is recorded
   * from such a run (see {@code bin/reliapi}).
   */
  static Server run(LoadedConfig loaded, ConfigSource source, boolean exitAfterStart) {
    GatewayConfig config = loaded.config();
    GatewayOptions options = GatewayOptions.production();
    Gateway gateway;
    try {
      gateway = Gateway.start(loaded, source, options).await(60, TimeUnit.SECONDS);
    } catch (EventLoopTransport.Unavailable e) {
      return null; // Gateway.start said why
    } catch (Exception e) {
      LOG.error("ReliAPI could not start: cannot listen on {}:{}", config.server().host(), config.server().port());
      return null;
    }
    LOG.info("ReliAPI listening on {}://{}:{} targets=[{}] state={} transport={}",
        config.server().tls().isPresent() ? "https" : "http", config.server().host(), gateway.port(), config.targets().values().stream().map(Server::describe).collect(Collectors.joining(", ")),
        config.redis().isPresent() ? "redis" : "in-memory", gateway.transport().word());
    HeapShares.overcommitted(config.server(), config.redis().isEmpty(), Runtime.getRuntime().maxMemory())
        .ifPresent(LOG::warn);
    HeapKeeper.startIfSerial(options.clock(), gateway.scheduler());
    Runnable drain = () -> {
      long drainMs = gateway.config().server().drainTimeoutMs();
      LOG.info("Draining: no new connections; waiting up to {} ms for {} requests in flight",
          drainMs, gateway.inFlight());
      try {
        gateway.stop().await(drainMs + 5_000, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        LOG.warn("Drain did not finish cleanly");
      }
      Logging.flush();
      System.exit(0);
    };
    // Handling the signals ourselves (instead of a shutdown hook) is what lets the process exit 0.
    Signal.handle(new Signal("TERM"), s -> new Thread(drain, "reliapi-drain").start());
    Signal.handle(new Signal("INT"), s -> new Thread(drain, "reliapi-drain").start());
    // SIGHUP reloads the config file (on a thread of its own: a reload reads the file).
    Signal.handle(new Signal("HUP"), s -> new Thread(() -> gateway.reloadNow("sighup"), "reliapi-reload").start());
    if (exitAfterStart) {
      new Thread(() -> {
        TrainingRequests.send(config.server().host(), gateway.port());
        drain.run();
      }, "reliapi-drain").start();
    }
    return new Server();
  }

  private static String describe(TargetConfig target) {
    return target.name() + target.llm().map(l -> "(" + l.provider().name().toLowerCase() + ")").orElse("");
  }
}
