package io.reliapi.observe;

import ch.qos.logback.classic.pattern.ThrowableHandlingConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Keeps stack traces and exception messages out of log lines: a library failure could carry an upstream
 * URL or a secret in its message. The log says only that something was thrown.
 */
public final class NoStackTraces extends ThrowableHandlingConverter {

  @Override
  public String convert(ILoggingEvent event) {
    return event.getThrowableProxy() == null ? "" : "an internal failure was suppressed";
  }
}
