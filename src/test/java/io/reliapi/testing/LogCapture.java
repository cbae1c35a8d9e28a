package io.reliapi.testing;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.reliapi.observe.JsonLineEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Captures every log line written while it is open, formatted exactly as production writes it (one JSON
 * object per line), from any thread. It registers with the {@link CapturingAppender} logback-test.xml
 * attaches to the root logger, rather than attaching an appender itself (see there why).
 */
public final class LogCapture implements AutoCloseable {
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final JsonLineEncoder encoder = new JsonLineEncoder();
  private final CapturingAppender appender;

  private LogCapture(LoggerContext context) {
    if (!(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender(CapturingAppender.NAME)
        instanceof CapturingAppender capturing)) {
      throw new IllegalStateException("the root logger has no " + CapturingAppender.NAME
          + " appender: logback-test.xml must attach io.reliapi.testing.CapturingAppender to it");
    }
    appender = capturing;
    encoder.setContext(context);
    encoder.start();
    appender.open(this);
  }

  /** Starts capturing the lines of the process-wide logger context. */
  public static LogCapture capture() {
    return new LogCapture((LoggerContext) LoggerFactory.getILoggerFactory());
  }

  static LogCapture capture(LoggerContext context) {
    return new LogCapture(context);
  }

  void take(ILoggingEvent event) {
    lines.add(new String(encoder.encode(event), StandardCharsets.UTF_8).strip());
  }

  public List<String> lines() {
    return List.copyOf(lines);
  }

  /** Returns the access-log lines (one per finished request). */
  public List<String> accessLines() {
    return lines.stream().filter(l -> l.contains("\"logger\":\"reliapi.access\"")).toList();
  }

  public String all() {
    return String.join("\n", lines);
  }

  @Override
  public void close() {
    appender.close(this);
  }
}
