package io.reliapi;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads the command line of a plain start ({@code --config FILE --port N ...}, each option at most once, as
 * {@code --name value} or {@code --name=value}) without picocli. Picocli builds its model by reflection from
 * classes the JDK's AOT cache cannot hold, about 90 ms of every start; anything else (help, version,
 * {@code check-config}, an unknown or repeated option, a port that is not a number) is left to picocli, so its
 * answers and errors stay the only ones.
 */
final class PlainStart {
  private PlainStart() {}

  /** Returns {@code main} with the options set, or empty when picocli should read {@code args}. */
  static Optional<Main> read(String[] args, Main main) {
    boolean config = false;
    boolean host = false;
    boolean port = false;
    boolean redis = false;
    boolean level = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--exit-after-start")) {
        if (main.exitAfterStart) {
          return Optional.empty();
        }
        main.exitAfterStart = true;
        continue;
      }
      int eq = arg.indexOf('=');
      String name = eq > 0 ? arg.substring(0, eq) : arg;
      String value;
      if (eq > 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
        value = args[++i];
      } else {
        return Optional.empty();
      }
      switch (name) {
        case "--config" -> {
          if (config || value.isEmpty()) {
            return Optional.empty();
          }
          config = true;
          main.config = Path.of(value);
        }
        case "--host" -> {
          if (host) {
            return Optional.empty();
          }
          host = true;
          main.host = value;
        }
        case "--port" -> {
          if (port || !value.matches("[0-9]{1,5}")) {
            return Optional.empty();
          }
          port = true;
          main.port = Integer.valueOf(value);
        }
        case "--redis-url" -> {
          if (redis) {
            return Optional.empty();
          }
          redis = true;
          main.redisUrl = value;
        }
        case "--log-level" -> {
          if (level) {
            return Optional.empty();
          }
          level = true;
          main.logLevel = value;
        }
        default -> {
          return Optional.empty();
        }
      }
    }
    return Optional.of(main);
  }
}
