package io.reliapi.observe;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import org.slf4j.helpers.MessageFormatter;

/**
 * Writes each log event as one JSON object per line: {@code ts}, {@code level}, {@code logger},
 * {@code msg}, then the fields of a {@link JsonLine.Fields} argument. Exceptions are never written, not
 * even their message, whether passed as the failure or as a format argument: a library failure could
 * carry an upstream URL or a secret. Runs on the
 * asynchronous appender's thread, so request threads only hand over the event.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
  private static final DateTimeFormatter TO_SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
      .withZone(ZoneOffset.UTC);
  private static final byte[] NONE = new byte[0];
  private static final String SUPPRESSED = "[suppressed]";
  private final LineBytes buffer = new LineBytes(512);
  /** Formatting a date is the costliest part of a line; lines of the same second share it. */
  private long cachedSecond = Long.MIN_VALUE;
  private String cachedPrefix = "";

  @Override
  public byte[] headerBytes() {
    return NONE;
  }

  @Override
  public byte[] footerBytes() {
    return NONE;
  }

  @Override
  public synchronized byte[] encode(ILoggingEvent event) {
    buffer.clear();
    encodeTo(event, buffer);
    return buffer.toByteArray();
  }

  /** Appends the event's line (with its newline) to {@code buffer} as UTF-8; one writer thread calls it. */
  synchronized void encodeTo(ILoggingEvent event, LineBytes buffer) {
    long millis = event.getTimeStamp();
    long second = Math.floorDiv(millis, 1000);
    if (second != cachedSecond) {
      cachedSecond = second;
      cachedPrefix = TO_SECOND.format(Instant.ofEpochSecond(second));
    }
    int ms = (int) Math.floorMod(millis, 1000);
    buffer.ascii("{\"ts\":\"").ascii(cachedPrefix).ascii('.')
        .ascii((char) ('0' + ms / 100)).ascii((char) ('0' + ms / 10 % 10)).ascii((char) ('0' + ms % 10))
        .ascii("Z\"");
    JsonLine line = new JsonLine(buffer);
    line.field("level", event.getLevel().toString());
    line.field("logger", event.getLoggerName());
    line.field("msg", message(event));
    Object[] arguments = event.getArgumentArray();
    if (arguments != null) {
      for (Object argument : arguments) {
        if (argument instanceof JsonLine.Fields fields) {
          fields.appendTo(line);
        }
      }
    }
    if (event.getThrowableProxy() != null) {
      line.field("error", "an internal failure was suppressed");
    }
    buffer.ascii("}\n");
  }

  /**
   * Returns the formatted message; an exception among the arguments is written as {@code [suppressed]},
   * since formatting it would print its message.
   */
  private static String message(ILoggingEvent event) {
    Object[] arguments = event.getArgumentArray();
    String message = event.getMessage();
    if (arguments == null || message == null || !message.contains("{}")) {
      // Nothing to substitute (an access line's only argument is its fields): the message as written.
      return message;
    }
    if (Arrays.stream(arguments).noneMatch(Throwable.class::isInstance)) {
      return event.getFormattedMessage();
    }
    Object[] safe = Arrays.stream(arguments).map(a -> a instanceof Throwable ? SUPPRESSED : a).toArray();
    return MessageFormatter.basicArrayFormat(event.getMessage(), safe);
  }
}
