package io.reliapi;

import io.reliapi.config.ConfigException;
import io.reliapi.observe.Logging;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code reliapi} command: runs the gateway, or checks a config with {@code check-config}. */
@Command(name = "reliapi", mixinStandardHelpOptions = true, versionProvider = Version.class,
    sortOptions = false, usageHelpAutoWidth = true,
    description = "Reliability gateway for HTTP and LLM APIs: retries, circuit breakers, cache, "
        + "idempotency, fallbacks and LLM budget caps in front of any upstream.",
    subcommands = {CheckConfigCommand.class, CommandLine.HelpCommand.class},
    exitCodeOnInvalidInput = 2)
public final class Main implements Callable<Integer> {
  /** Exit code for a configuration or usage problem (SPEC §1). */
  static final int BAD_CONFIG = 2;

  @Option(names = "--config", paramLabel = "FILE", description = "YAML config file (env RELIAPI_CONFIG).")
  Path config;

  @Option(names = "--host", description = "Address to listen on (env RELIAPI_HOST; default 127.0.0.1).")
  String host;

  @Option(names = "--port", description = "Port to listen on (env RELIAPI_PORT; default 8000).")
  Integer port;

  @Option(names = "--redis-url", paramLabel = "URL", description = "Share state through Redis (env REDIS_URL).")
  String redisUrl;

  @Option(names = "--log-level", paramLabel = "LEVEL",
      description = "trace, debug, info, warn or error (env RELIAPI_LOG_LEVEL; default info).")
  String logLevel;

  @Option(names = "--exit-after-start", hidden = true,
      description = "Start, then drain and exit 0 (records the JDK's AOT cache; used by bin/reliapi).")
  boolean exitAfterStart;

  @Spec
  CommandSpec spec;

  private final Map<String, String> env;
  private Server running;

  Main(Map<String, String> env) {
    this.env = env;
  }

  /** Returns the environment secrets and overrides are read from. */
  Map<String, String> env() {
    return env;
  }

  public static void main(String[] args) {
    Main main = new Main(System.getenv());
    int code = PlainStart.read(args, main).map(Main::call).orElseGet(() -> new CommandLine(main).execute(args));
    if (code != 0 || main.running == null) {
      Logging.flush();
      System.exit(code);
    }
  }

  @Override
  public Integer call() {
    ConfigSource source;
    LoadedConfig loaded;
    try {
      source = source();
      loaded = source.load();
    } catch (ConfigException e) {
      PrintWriter err = err();
      e.problems().forEach(err::println);
      err.flush();
      return BAD_CONFIG;
    }
    String level = logLevel != null ? logLevel : env.get("RELIAPI_LOG_LEVEL");
    if (level != null) {
      if (!Logging.LEVELS.contains(level.toLowerCase(java.util.Locale.ROOT))) {
        PrintWriter err = err();
        err.println("--log-level: must be one of trace, debug, info, warn, error (got \"" + level + "\")");
        err.flush();
        return BAD_CONFIG;
      }
      Logging.level(level);
    }
    running = Server.run(loaded, source, exitAfterStart);
    return running == null ? 1 : 0;
  }

  /** Where problems go: picocli's error stream, or standard error when {@link PlainStart} read the options. */
  private PrintWriter err() {
    return spec != null ? spec.commandLine().getErr() : new PrintWriter(System.err, true);
  }

  /** Returns the config file with the flags and environment over it; a reload reads it the same way. */
  private ConfigSource source() {
    Path file = config;
    if (file == null && env.get("RELIAPI_CONFIG") != null) {
      file = Path.of(env.get("RELIAPI_CONFIG"));
    }
    if (file == null) {
      throw new ConfigException(java.util.List.of("--config: a config file is required (or set RELIAPI_CONFIG)"));
    }
    return ConfigSource.file(file, env::get, loaded -> Overrides.apply(loaded, host, port, redisUrl, env));
  }
}
