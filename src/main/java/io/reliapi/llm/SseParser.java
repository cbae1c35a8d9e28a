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
 * two network buffers stays whole. An event larger than the limit is refused (UPSTREAM_RESPONSE_TOO_LARGE), as a
 * whole answer past it is: what it holds so far ({@link #pendingBytes()}) lets its reader count it as it grows.
 */
public final class SseParser {
  private static final int LINE_BYTES = 256;
  /** The longest line buffer kept for the next line: longer ones (an event carrying a PDF) are let go once read. */
  private static final int KEPT_LINE_BYTES = 16 * 1024;

  private final Consumer<SseEvent> sink;
  private final int maxEventBytes;
  private byte[] line = new byte[LINE_BYTES];
  private int lineLength;
  /** The event's data while it has one line; null before its first and once {@link #lines} joins them. */
  private String data;
  private StringBuilder lines;
  /** Whether {@link #data}, or {@link #lines}, holds a character beyond Latin-1 (two bytes each then). */
  private boolean wide;
  private String event;
  private int eventBytes;
  private boolean lastWasCr;
  /**
   * Bytes of the lines read whole so far outside comments: what says the provider's answer moves on, not only its
   * connection. Counted a line at a time, never a byte at a time (the loop over every byte of every stream stays bare).
   */
  private long contentBytes;

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
          line = Arrays.copyOf(line, (int) Math.min(line.length * 2L, maxEventBytes + 1L));
        }
        line[lineLength++] = b;
        if (++eventBytes > maxEventBytes) {
          throw eventTooLarge();
        }
      }
    }
  }

  /** The refusal of an event past the limit: final, as a whole answer past it is. */
  static GatewayException eventTooLarge() {
    return GatewayException.afterSend(ErrorCode.UPSTREAM_RESPONSE_TOO_LARGE,
        "The provider sent a stream event larger than the gateway's limit.");
  }

  /**
   * Returns what the event being read holds: its line buffer as allocated (it grows by doubling, so up to twice the
   * line's length) and what its lines read so far keep, its data and name, as Java keeps text: a byte a character
   * while all of it is Latin-1 (as the JSON of most events is), two bytes a character once one is not (UTF-16, though
   * the same character took one to four bytes in UTF-8); 0 between events, when only a line buffer of at most 16 KiB
   * is kept.
   */
  public int pendingBytes() {
    if (eventBytes == 0 && data == null && lines == null) {
      return 0;
    }
    int chars = data != null ? data.length() : lines != null ? lines.capacity() : 0;
    return line.length + (wide ? 2 * chars : chars) + (event != null ? charBytes(event) : 0);
  }

  /** The bytes Java holds {@code text} in: one a character when all are Latin-1, else two. */
  private static int charBytes(String text) {
    return latin1(text) ? text.length() : 2 * text.length();
  }

  /** Whether every character of {@code text} is Latin-1, one byte each as Java holds it. */
  static boolean latin1(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) > 0xFF) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns how many bytes were read outside comment lines (a {@code : keep-alive} comment keeps a connection open
   * but says nothing of the answer). Counts on across events and {@link #reset}.
   */
  public long contentBytes() {
    return contentBytes + (lineLength > 0 && line[0] != ':' ? lineLength : 0);
  }

  /**
   * Returns whether an event is being read: its {@code data} or {@code event} field read, or a line begun that is no
   * comment, since the last event was dispatched.
   */
  boolean midEvent() {
    return data != null || lines != null || event != null || lineLength > 0 && line[0] != ':';
  }

  /** Forgets the event being read, and the buffer of its line (its reader was let go). */
  public void reset() {
    contentBytes = contentBytes();
    line = new byte[LINE_BYTES];
    lineLength = 0;
    lastWasCr = false;
    data = null;
    lines = null;
    wide = false;
    event = null;
    eventBytes = 0;
  }

  /** Ends the line: a blank one dispatches the event, a comment is skipped, another is a field. */
  private void endLine() {
    int length = lineLength;
    lineLength = 0;
    if (length == 0) {
      dispatch();
      return;
    }
    if (line[0] != ':') {
      contentBytes += length;
      field(length);
    }
    if (line.length > KEPT_LINE_BYTES) {
      line = new byte[LINE_BYTES]; // a comment line too: an 8 MiB padding must not stay for the rest of the stream
    }
  }

  /**
   * Reads the line as its field and value, decoding the value alone straight from the bytes (a data line may carry
   * a whole PDF: it is copied once more only when the event has a second data line). A colon is one byte that no
   * multi-byte UTF-8 character contains, so it is found among the bytes.
   */
  private void field(int length) {
    int colon = 0;
    while (colon < length && line[colon] != ':') {
      colon++;
    }
    int valueStart = Math.min(colon + 1, length);
    if (valueStart < length && line[valueStart] == ' ') {
      valueStart++;
    }
    String field = new String(line, 0, colon, StandardCharsets.UTF_8);
    String value = new String(line, valueStart, length - valueStart, StandardCharsets.UTF_8);
    switch (field) {
      case "data" -> data(value);
      case "event" -> event = value;
      default -> { } // id and retry mean nothing to a gateway reading a provider's answer
    }
  }

  private void data(String value) {
    wide |= !latin1(value);
    if (lines != null) {
      lines.append('\n').append(value);
    } else if (data != null) {
      lines = new StringBuilder(data.length() + 1 + value.length()).append(data).append('\n').append(value);
      data = null;
    } else {
      data = value;
    }
  }

  private void dispatch() {
    String joined = lines != null ? lines.toString() : data;
    if (joined != null) {
      sink.accept(new SseEvent(event, joined));
    }
    data = null;
    lines = null;
    wide = false;
    event = null;
    eventBytes = 0;
  }
}
