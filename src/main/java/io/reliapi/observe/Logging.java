package io.reliapi.observe;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.util.Locale;
import java.util.Set;
import org.slf4j.LoggerFactory;

/** Log level control and an orderly flush of the asynchronous appender at exit. */
public final class Logging {
  public static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error", "off");

  private Logging() {}

  /** Sets the level of the root logger; {@code level} is one of {@link #LEVELS}. */
  public static void level(String level) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(level.toUpperCase(Locale.ROOT)));
  }

  /** Writes out queued log lines and stops the appenders. */
  public static void flush() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.stop();
    }
  }
}
