package io.reliapi.testing;

import io.reliapi.ConfigSource;
import io.reliapi.Gateway;
import io.reliapi.GatewayOptions;
import io.reliapi.config.ConfigLoader;
import io.reliapi.config.GatewayConfig;
import io.reliapi.config.ServerConfig;
import io.reliapi.time.Clock;
import io.reliapi.time.Scheduler;
import io.reliapi.time.VertxScheduler;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Starts the real gateway in this JVM on a free port from YAML text, with a chosen environment, clock
 * and scheduler, and talks HTTP to it over real sockets.
 */
public final class GatewayHarness implements AutoCloseable {
  /**
   * Runs the gateways of YAML-built tests on this transport ({@code server.transport}'s word) unless the YAML
   * names one: the build runs a set of end-to-end tests again with {@code epoll}, the transport of hosts that
   * forbid io_uring.
   */
  public static final String TRANSPORT_PROPERTY = "reliapi.test.transport";

  private final Gateway gateway;
  public final TestHttp http;

  private GatewayHarness(Gateway gateway) {
    this.gateway = gateway;
    this.http = new TestHttp("http://127.0.0.1:" + gateway.port());
  }

  public static Builder yaml(String yaml) {
    return new Builder(yaml);
  }

  /**
   * Starts from a config file, read again on every reload; {@code server.port} 0 unless the file sets a
   * port.
   */
  public static Builder file(Path file) {
    Builder builder = new Builder(null);
    builder.file = file;
    return builder;
  }

  public int port() {
    return gateway.port();
  }

  public Gateway gateway() {
    return gateway;
  }

  @Override
  public void close() {
    try {
      gateway.stop().await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("gateway did not stop", e);
    }
  }

  /** Options for one test gateway; defaults: real clock and timers, two event loops, port 0. */
  public static final class Builder {
    private final String yaml;
    private Path file;
    private final Map<String, String> env = new HashMap<>();
    private Clock clock = Clock.system();
    private Function<io.vertx.core.Vertx, Scheduler> scheduler = VertxScheduler::new;
    private int eventLoops = 2;

    private Builder(String yaml) {
      this.yaml = yaml;
    }

    public Builder env(String name, String value) {
      env.put(name, value);
      return this;
    }

    public Builder clock(ManualClock clock, ManualScheduler scheduler) {
      this.clock = clock;
      this.scheduler = v -> scheduler;
      return this;
    }

    public Builder eventLoops(int eventLoops) {
      this.eventLoops = eventLoops;
      return this;
    }

    public GatewayHarness start() {
      GatewayOptions options = new GatewayOptions(clock, scheduler, eventLoops);
      if (file != null) {
        ConfigSource source = ConfigSource.file(file, env::get,
            c -> c.server().port() == ServerConfig.DEFAULT_PORT ? c.withServer(c.server().withListen(c.server().host(), 0)) : c);
        try {
          return new GatewayHarness(Gateway.start(source.load(), source, options).await(30, TimeUnit.SECONDS));
        } catch (Exception e) {
          throw new IllegalStateException("gateway did not start", e);
        }
      }
      GatewayConfig config = ConfigLoader.parse(yaml, env::get);
      if (!yaml.contains("port:")) {
        config = config.withServer(config.server().withListen(config.server().host(), 0));
      }
      String transport = System.getProperty(TRANSPORT_PROPERTY);
      if (transport != null && !yaml.contains("transport:")) {
        config = config.withServer(config.server().withTransport(
            ServerConfig.Transport.valueOf(transport.toUpperCase(Locale.ROOT))));
      }
      try {
        return new GatewayHarness(Gateway.start(config, options)
            .await(30, TimeUnit.SECONDS));
      } catch (Exception e) {
        throw new IllegalStateException("gateway did not start", e);
      }
    }
  }
}
