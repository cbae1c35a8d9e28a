package io.reliapi.testing;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads HTTP/1.1 requests from the bytes of one connection as they arrive: the head up to the empty line,
 * then a body of {@code Content-Length} bytes or a chunked body (trailers skipped). Requests come out one at
 * a time, in order; what arrived beyond one waits for the next call.
 */
final class WallRequestParser {
  private Buffer pending = Buffer.buffer();

  void feed(Buffer bytes) {
    pending.appendBuffer(bytes);
  }

  /** Returns the next complete request, or empty while its bytes have not all arrived. */
  Optional<WallRequest> next() {
    String text = pending.toString(StandardCharsets.ISO_8859_1);
    int headEnd = text.indexOf("\r\n\r\n");
    if (headEnd < 0) {
      return Optional.empty();
    }
    String[] lines = text.substring(0, headEnd).split("\r\n");
    String[] start = lines[0].split(" ", 3);
    if (start.length < 3) {
      throw new IllegalArgumentException("not an HTTP request line");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).strip().toLowerCase(), lines[i].substring(colon + 1).strip());
      }
    }
    int bodyStart = headEnd + 4;
    Body body = headers.getOrDefault("transfer-encoding", "").toLowerCase().contains("chunked")
        ? chunked(bodyStart)
        : sized(bodyStart, Integer.parseInt(headers.getOrDefault("content-length", "0").strip()));
    if (body == null) {
      return Optional.empty();
    }
    pending = pending.getBuffer(body.end(), pending.length());
    return Optional.of(new WallRequest(start[0], start[1], start[2], headers, body.bytes()));
  }

  private record Body(byte[] bytes, int end) {}

  private Body sized(int from, int length) {
    return pending.length() < from + length ? null : new Body(pending.getBytes(from, from + length), from + length);
  }

  private Body chunked(int from) {
    Buffer body = Buffer.buffer();
    int at = from;
    while (true) {
      int lineEnd = indexOfCrlf(at);
      if (lineEnd < 0) {
        return null;
      }
      String sizeLine = pending.getString(at, lineEnd, "ISO-8859-1").split(";")[0].strip();
      int size = Integer.parseInt(sizeLine.isEmpty() ? "0" : sizeLine, 16);
      at = lineEnd + 2;
      if (size == 0) {
        while (true) {  // trailers, up to the empty line
          int trailerEnd = indexOfCrlf(at);
          if (trailerEnd < 0) {
            return null;
          }
          boolean empty = trailerEnd == at;
          at = trailerEnd + 2;
          if (empty) {
            return new Body(body.getBytes(), at);
          }
        }
      }
      if (pending.length() < at + size + 2) {
        return null;
      }
      body.appendBuffer(pending.getBuffer(at, at + size));
      at += size + 2;
    }
  }

  private int indexOfCrlf(int from) {
    for (int i = from; i + 1 < pending.length(); i++) {
      if (pending.getByte(i) == '\r' && pending.getByte(i + 1) == '\n') {
        return i;
      }
    }
    return -1;
  }
}
