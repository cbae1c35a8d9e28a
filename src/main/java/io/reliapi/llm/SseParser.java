package io.reliapi.llm;

import io.reliapi.error.ErrorCode;
import io.reliapi.error.GatewayException;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Splits a {@code text/event-stream} into events (WHATWG HTML §9.2.6): lines end in LF, CRLF or CR, a blank
 * line dispatches, {@code :} starts a comment. Bytes are decoded line by line, so a character split across
 * two network buffers stays whole. An event larger than the limit is treated as a malformed stream.
 */
public final class SseParser {
  private final Consumer<SseEvent> sink;
  private final int maxEventBytes;
  private byte[] line = new byte[256];
  private int lineLength;
  private StringBuilder data;
  private String event;
  private int eventBytes;
  private boolean lastWasCr;

  public SseParser(int maxEventBytes, Consumer<SseEvent> sink) {
    this.maxEventBytes = maxEventBytes;
    this.sink = sink;
  }

  /** Feeds the next bytes; complete events go to the sink as they are found. */
  public void feed(Buffer bytes) {
    for (int i = 0; i < bytes.length(); i++) {
      byte b = bytes.getByte(i);
      if (b == '\n' && lastWasCr) {
        lastWasCr = false;
        continue;
      }
      lastWasCr = b == '\r';
      if (b == '\n' || b == '\r') {
        endLine();
      } else {
        if (lineLength == line.length) {
          line = Arrays.copyOf(line, line.length * 2);
        }
        line[lineLength++] = b;
        if (++eventBytes > maxEventBytes) {
          throw GatewayException.afterSend(ErrorCode.UPSTREAM_INVALID_RESPONSE,
              "The provider sent a stream event larger than the gateway accepts.");
        }
      }
    }
  }

  private void endLine() {
    String text = new String(line, 0, lineLength, StandardCharsets.UTF_8);
    lineLength = 0;
    if (text.isEmpty()) {
      dispatch();
      return;
    }
    if (text.charAt(0) == ':') {
      return;
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    String value = colon < 0 ? "" : text.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "data" -> {
        if (data == null) {
          data = new StringBuilder(value.length());
        } else {
          data.append('\n');
        }
        data.append(value);
      }
      case "event" -> event = value;
      default -> { } // id and retry mean nothing to a gateway reading a provider's answer
    }
  }

  private void dispatch() {
    if (data != null) {
      sink.accept(new SseEvent(event, data.toString()));
    }
    data = null;
    event = null;
    eventBytes = 0;
  }
}
