package io.reliapi.llm;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a {@code text/event-stream} into its events byte for byte (each with the blank line that ends it),
 * so a gateway can hold one event back and pass every other on exactly as the provider wrote it. Lines end
 * in LF, CRLF or CR, as {@link SseParser} reads them.
 */
final class SseBlocks {
  private Buffer pending = Buffer.buffer();
  private int lineLength;
  private boolean lastWasCr;

  /** Feeds the next bytes; returns the events they complete, in order. */
  List<Buffer> feed(Buffer bytes) {
    int scanFrom = pending.length();
    pending.appendBuffer(bytes);
    List<Buffer> blocks = new ArrayList<>(1);
    int start = 0;
    for (int i = scanFrom; i < pending.length(); i++) {
      byte b = pending.getByte(i);
      if (b == '\n' && lastWasCr) {
        lastWasCr = false;
        continue;
      }
      lastWasCr = b == '\r';
      if (b != '\r' && b != '\n') {
        lineLength++;
      } else if (lineLength > 0) {
        lineLength = 0;
      } else {
        blocks.add(pending.getBuffer(start, i + 1));
        start = i + 1;
      }
    }
    if (start > 0) {
      pending = pending.getBuffer(start, pending.length());
    }
    return blocks;
  }

  /** Returns the bytes of an event not yet complete, and forgets them. */
  Buffer rest() {
    Buffer rest = pending;
    pending = Buffer.buffer();
    return rest;
  }

  /** Reads the one event of a block, or null when it holds none (a comment or a stray line end). */
  static SseEvent event(Buffer block) {
    SseEvent[] found = new SseEvent[1];
    new SseParser(Math.max(1, block.length()), event -> found[0] = event).feed(block);
    return found[0];
  }
}
