package io.reliapi;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the command line of a plain start ({@code --config FILE --port N ...}, each option at most once, as
 * {@code --name value} or {@code --name=value}) without picocli. Picocli builds its model by reflection from
 * classes the JDK's AOT cache cannot hold, about 90 ms of every start; anything else (help, version,
 * {@code check-config}, an unknown or repeated option, a port that is not a number) is left to picocli, so its
 * answers and errors stay the only ones.
 */
final class PlainStart {
  private static final String EXIT_AFTER_START = "--exit-after-start";

  private PlainStart() {}

  /** Returns {@code main} with the options set, or empty when picocli should read {@code args}. */
  static Optional<Main> read(String[] args, Main main) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      String name = eq > 0 ? args[i].substring(0, eq) : args[i];
      if (!seen.add(name)) {
        return Optional.empty();
      }
      if (name.equals(EXIT_AFTER_START) && eq < 0) {
        main.exitAfterStart = true;
        continue;
      }
      String value;
      if (eq > 0) {
        value = args[i].substring(eq + 1);
      } else if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
        value = args[++i];
      } else {
        return Optional.empty();
      }
      if (!set(main, name, value)) {
        return Optional.empty();
      }
    }
    return Optional.of(main);
  }

  /** Sets option {@code name}; false when it is not one of a plain start's or its value needs picocli's check. */
  private static boolean set(Main main, String name, String value) {
    switch (name) {
      case "--config" -> {
        if (value.isEmpty()) {
          return false;
        }
        main.config = Path.of(value);
      }
      case "--port" -> {
        if (!value.matches("[0-9]{1,5}")) {
          return false;
        }
        main.port = Integer.valueOf(value);
      }
      case "--host" -> main.host = value;
      case "--redis-url" -> main.redisUrl = value;
      case "--log-level" -> main.logLevel = value;
      default -> {
        return false;
      }
    }
    return true;
  }
}
