package io.reliapi.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Hands every event to the {@link LogCapture}s open at the time. logback-test.xml attaches it to the root
 * logger once, before anything logs, and captures come and go in this appender's own list: adding an
 * appender to a logger while another thread logs can leave logback's cached appender list without it, and
 * the capture would then see nothing.
 */
public final class CapturingAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
  /** The name logback-test.xml gives it, by which {@link LogCapture} finds it. */
  public static final String NAME = "CAPTURE";

  private final List<LogCapture> open = new CopyOnWriteArrayList<>();

  void open(LogCapture capture) {
    open.add(capture);
  }

  void close(LogCapture capture) {
    open.remove(capture);
  }

  @Override
  protected void append(ILoggingEvent event) {
    for (LogCapture capture : open) {
      capture.take(event);
    }
  }
}
