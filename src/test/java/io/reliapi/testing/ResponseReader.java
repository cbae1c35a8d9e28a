package io.reliapi.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads one HTTP/1.1 response off a socket as a careful client does: the head, then the body (chunked, sized
 * or up to the close) line by line as it arrives. A body that ends before its terminating chunk or its
 * announced length is an {@link IncompleteBody}, never a clean end.
 */
final class ResponseReader {
  /** The peer closed the connection in the middle of the body (httpx's {@code RemoteProtocolError}). */
  static final class IncompleteBody extends IOException {
    IncompleteBody(String message) {
      super(message);
    }
  }

  private static final String CUT_CHUNKED =
      "peer closed connection without sending complete message body (incomplete chunked read)";

  private final InputStream in;
  private int status;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private boolean chunked;
  private long left = -1;  // bytes left in the current chunk, or of the sized body
  private boolean ended;

  ResponseReader(InputStream in) {
    this.in = in;
  }

  /** Reads the status line and headers; returns the status. */
  int readHead() throws IOException {
    String statusLine = line(in);
    if (statusLine == null || !statusLine.startsWith("HTTP/")) {
      throw new IncompleteBody("server disconnected without sending a response");
    }
    status = Integer.parseInt(statusLine.substring(9, 12));
    for (String line; (line = line(in)) != null && !line.isEmpty(); ) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.put(line.substring(0, colon).strip().toLowerCase(), line.substring(colon + 1).strip());
      }
    }
    chunked = headers.getOrDefault("transfer-encoding", "").toLowerCase().contains("chunked");
    if (!chunked && headers.containsKey("content-length")) {
      left = Long.parseLong(headers.get("content-length"));
    }
    return status;
  }

  String header(String name) {
    return headers.get(name);
  }

  /** Returns the next line of the body without its line end, or null at the body's proper end. */
  String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b; (b = readBodyByte()) >= 0; ) {
      if (b == '\n') {
        return text(line);
      }
      line.write(b);
    }
    return line.size() > 0 ? text(line) : null;
  }

  /** Reads the rest of the body. */
  byte[] readBody() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int b; (b = readBodyByte()) >= 0; ) {
      body.write(b);
    }
    return body.toByteArray();
  }

  private int readBodyByte() throws IOException {
    if (ended) {
      return -1;
    }
    if (chunked && left <= 0) {
      if (left == 0 && !"".equals(line(in))) {
        throw new IncompleteBody(CUT_CHUNKED);
      }
      String size = line(in);
      if (size == null) {
        throw new IncompleteBody(CUT_CHUNKED);
      }
      left = Long.parseLong(size.split(";")[0].strip(), 16);
      if (left == 0) {
        ended = true;
        return -1;
      }
    }
    if (!chunked && left == 0) {
      ended = true;
      return -1;
    }
    int b = in.read();
    if (b < 0) {
      ended = true;
      if (chunked || left > 0) {
        throw new IncompleteBody("peer closed connection without sending complete message body"
            + (chunked ? " (incomplete chunked read)" : ""));
      }
      return -1;
    }
    left--;
    return b;
  }

  /** A CRLF (or LF) terminated line of the head or of the chunk framing; null at the end of the stream. */
  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b; (b = in.read()) >= 0; ) {
      if (b == '\n') {
        return text(line);
      }
      line.write(b);
    }
    return line.size() > 0 ? text(line) : null;
  }

  private static String text(ByteArrayOutputStream line) {
    String text = line.toString(StandardCharsets.UTF_8);
    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }
}
