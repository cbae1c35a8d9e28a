package io.reliapi.observe;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes each log event as one JSON object per line: {@code ts}, {@code level}, {@code logger},
 * {@code msg}, then the fields of a {@link JsonLine.Fields} argument. Exceptions are never written, not
 * even their message: a library failure could carry an upstream URL or a secret. Runs on the
 * asynchronous appender's thread, so request threads only hand over the event.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
      .withZone(ZoneOffset.UTC);
  private static final byte[] NONE = new byte[0];
  private final StringBuilder buffer = new StringBuilder(512);

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
    buffer.setLength(0);
    buffer.append("{\"ts\":\"").append(TS.format(Instant.ofEpochMilli(event.getTimeStamp()))).append('"');
    JsonLine line = new JsonLine(buffer);
    line.field("level", event.getLevel().toString());
    line.field("logger", event.getLoggerName());
    line.field("msg", event.getFormattedMessage());
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
    buffer.append("}\n");
    return buffer.toString().getBytes(StandardCharsets.UTF_8);
  }
}
