package io.reliapi.llm;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a {@code text/event-stream} into its events byte for byte (each with the blank line that ends it),
 * so a gateway can hold one event back and pass every other on exactly as the provider wrote it. Lines end
 * in LF, CRLF or CR, as {@link SseParser} reads them. An event is kept as the slices of the buffers it arrived in,
 * never copied into one; an event larger than the limit is refused (UPSTREAM_RESPONSE_TOO_LARGE), as the parser
 * refuses it.
 */
final class SseBlocks {
  private final int maxEventBytes;
  /** The event not yet complete, as it arrived. */
  private final List<Buffer> pending = new ArrayList<>();
  private int pendingBytes;
  /** The event's bytes but its line ends, as {@link SseParser} counts them against the limit. */
  private int eventBytes;
  private int lineLength;
  private boolean lastWasCr;

  SseBlocks(int maxEventBytes) {
    this.maxEventBytes = maxEventBytes;
  }

  /** Feeds the next bytes; returns the events they complete, in order, each as its slices of the bytes fed. */
  List<List<Buffer>> feed(Buffer bytes) {
    List<List<Buffer>> blocks = new ArrayList<>(1);
    int start = 0;
    for (int i = 0; i < bytes.length(); i++) {
      byte b = bytes.getByte(i);
      if (b == '\n' && lastWasCr) {
        lastWasCr = false;
        continue;
      }
      lastWasCr = b == '\r';
      if (b != '\r' && b != '\n') {
        lineLength++;
        if (++eventBytes > maxEventBytes) {
          throw SseParser.eventTooLarge();
        }
      } else if (lineLength > 0) {
        lineLength = 0;
      } else {
        pending.add(bytes.slice(start, i + 1));
        blocks.add(List.copyOf(pending));
        pending.clear();
        pendingBytes = 0;
        eventBytes = 0;
        start = i + 1;
      }
    }
    if (start < bytes.length()) {
      pending.add(bytes.slice(start, bytes.length()));
      pendingBytes += bytes.length() - start;
    }
    return blocks;
  }

  /** Returns the bytes held of the event not yet complete. */
  int pendingBytes() {
    return pendingBytes;
  }

  /** Returns the slices of the event not yet complete, and forgets them. */
  List<Buffer> rest() {
    List<Buffer> rest = List.copyOf(pending);
    pending.clear();
    pendingBytes = 0;
    eventBytes = 0;
    return rest;
  }

  /** Reads the one event of a block, or null when it holds none (a comment or a stray line end). */
  static SseEvent event(List<Buffer> block) {
    SseEvent[] found = new SseEvent[1];
    int length = block.stream().mapToInt(Buffer::length).sum();
    SseParser parser = new SseParser(Math.max(1, length), event -> found[0] = event);
    block.forEach(parser::feed);
    return found[0];
  }
}
