package io.reliapi.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import io.reliapi.observe.JsonLineEncoder;
import org.slf4j.LoggerFactory;

/** Captures every log line, formatted exactly as production writes it (one JSON object per line). */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final JsonLineEncoder encoder = new JsonLineEncoder();
  private final Logger root;

  private LogCapture() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    encoder.setContext(context);
    encoder.start();
    setContext(context);
    start();
    root.addAppender(this);
  }

  public static LogCapture capture() {
    return new LogCapture();
  }

  @Override
  protected void append(ILoggingEvent event) {
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
    root.detachAppender(this);
    stop();
  }
}
