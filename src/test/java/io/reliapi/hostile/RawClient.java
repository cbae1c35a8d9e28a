package io.reliapi.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, byte for byte, for requests no well-behaved client can send (any byte in a
 * header, a raw path, a body that is not UTF-8). Every request says {@code Connection: close}, so an answer
 * ends when the server closes; an answer still open after {@code waitMs} is a hang.
 */
final class RawClient {
  private RawClient() {}

  /** What came back; {@code hung} when the server neither finished nor closed in time. */
  record Answer(int status, List<String[]> headers, byte[] body, long elapsedMs, boolean hung, String raw) {
    String header(String name) {
      for (String[] header : headers) {
        if (header[0].equalsIgnoreCase(name)) {
          return header[1];
        }
      }
      return null;
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** The whole answer (status line, headers, body) as text, for leak checks. */
    String all() {
      return raw + "\n" + text();
    }
  }

  /** Sends {@code head} (request line and headers, without the blank line) and {@code body}. */
  static Answer send(int port, byte[] head, byte[] body, long waitMs) {
    long start = System.nanoTime();
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout((int) waitMs);
      try {
        OutputStream out = socket.getOutputStream();
        out.write(head);
        out.write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
      } catch (SocketException refused) {
        // The server answered and closed before it read everything (a bad head, a body over the limit).
      }
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      boolean hung = readUntilClosed(socket.getInputStream(), all, start, waitMs);
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      return parse(all.toByteArray(), elapsedMs, hung);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Builds a request head: request line, then header lines as given (raw bytes allowed in each). */
  static byte[] head(String requestLine, List<byte[]> headerLines) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(requestLine.getBytes(StandardCharsets.ISO_8859_1));
    for (byte[] line : headerLines) {
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(line);
    }
    return out.toByteArray();
  }

  static byte[] line(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static boolean readUntilClosed(InputStream in, ByteArrayOutputStream all, long start, long waitMs)
      throws IOException {
    byte[] buffer = new byte[16384];
    try {
      for (int n; (n = in.read(buffer)) > 0; ) {
        all.write(buffer, 0, n);
        if ((System.nanoTime() - start) / 1_000_000 > waitMs) {
          return true;
        }
      }
    } catch (SocketTimeoutException slow) {
      return true;
    } catch (SocketException reset) {
      // A reset ends an answer like a close does; what arrived before it is kept.
    }
    return false;
  }

  private static Answer parse(byte[] raw, long elapsedMs, boolean hung) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int headEnd = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.") || headEnd < 0) {
      return new Answer(-1, List.of(), raw, elapsedMs, hung, text);
    }
    String[] lines = text.substring(0, headEnd).split("\r\n");
    int status = Integer.parseInt(lines[0].substring(9, 12));
    if (status >= 100 && status < 200 && status != 101) {
      // An interim answer (100 Continue to "Expect: 100-continue"): the final one follows it (RFC 9110 §15.2).
      return parse(java.util.Arrays.copyOfRange(raw, headEnd + 4, raw.length), elapsedMs, hung);
    }
    List<String[]> headers = new ArrayList<>();
    boolean chunked = false;
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      String name = lines[i].substring(0, Math.max(colon, 0));
      String value = colon < 0 ? "" : lines[i].substring(colon + 1).strip();
      headers.add(new String[] {name, value});
      chunked |= name.equalsIgnoreCase("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked");
    }
    byte[] rest = java.util.Arrays.copyOfRange(raw, headEnd + 4, raw.length);
    return new Answer(status, headers, chunked ? dechunk(rest) : rest, elapsedMs, hung,
        text.substring(0, headEnd));
  }

  /** Joins the chunks of a chunked body; a body cut short keeps what arrived. */
  private static byte[] dechunk(byte[] rest) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int at = 0;
    while (at < rest.length) {
      int lineEnd = indexOf(rest, at);
      if (lineEnd < 0) {
        break;
      }
      String sizeText = new String(rest, at, lineEnd - at, StandardCharsets.ISO_8859_1);
      int semicolon = sizeText.indexOf(';');
      int size = Integer.parseInt((semicolon < 0 ? sizeText : sizeText.substring(0, semicolon)).trim(), 16);
      if (size == 0) {
        break;
      }
      int start = lineEnd + 2;
      int end = Math.min(start + size, rest.length);
      body.write(rest, start, end - start);
      at = end + 2;
    }
    return body.toByteArray();
  }

  private static int indexOf(byte[] bytes, int from) {
    for (int i = from; i + 1 < bytes.length; i++) {
      if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
