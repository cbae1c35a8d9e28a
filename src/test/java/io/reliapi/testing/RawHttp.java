package io.reliapi.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket: hand-written requests no well-behaved client would send, and answers read
 * byte for byte, including whether a chunked body was properly ended (its zero-length last chunk) or cut off.
 */
public final class RawHttp {
  private RawHttp() {}

  /** Writes {@code request} and returns everything read until the server closes or goes quiet. */
  public static String exchange(int port, String request) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(3_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return readAll(socket.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the status code of a raw response. */
  public static int status(String response) {
    return Integer.parseInt(response.substring(9, 12));
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      int n;
      while ((n = in.read(buffer)) > 0) {
        out.write(buffer, 0, n);
        String soFar = out.toString(StandardCharsets.ISO_8859_1);
        if (complete(soFar)) {
          break;
        }
      }
    } catch (SocketTimeoutException | java.net.SocketException quiet) {
      // The server went quiet or reset: return what arrived.
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /** A response with Content-Length is complete once that many body bytes arrived. */
  private static boolean complete(String text) {
    int head = text.indexOf("\r\n\r\n");
    if (head < 0) {
      return false;
    }
    for (String line : text.substring(0, head).split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        int length = Integer.parseInt(line.substring(15).trim());
        return text.length() - head - 4 >= length;
      }
    }
    return false;
  }

  /** The answer: status, body (de-chunked) and whether the chunked body ended with its last chunk. */
  public record Response(int status, String body, boolean complete) {}

  /** Posts {@code json} with the extra {@code headers} (names and values in turn) and reads until the close. */
  public static Response post(int port, String path, String json, String... headers) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    StringBuilder extra = new StringBuilder();
    for (int i = 0; i < headers.length; i += 2) {
      extra.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: close\r\n"
          + extra + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      return parse(readUntilClosed(socket.getInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] readUntilClosed(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) > 0; ) {
        all.write(buffer, 0, n);
      }
    } catch (IOException reset) {
      // A reset ends the answer like a close does; what arrived before it is kept.
    }
    return all.toByteArray();
  }

  /**
   * Reads a whole answer as it came over the wire: status, body (de-chunked, or as long as its Content-Length),
   * whether the body ended properly.
   */
  public static Response parse(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int headEnd = text.indexOf("\r\n\r\n");
    int status = Integer.parseInt(text.substring(9, 12));
    String rest = text.substring(headEnd + 4);
    java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$")
        .matcher(text.substring(0, headEnd));
    if (length.find()) {
      int size = Integer.parseInt(length.group(1));
      String whole = rest.substring(0, Math.min(size, rest.length()));
      return new Response(status, new String(whole.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8),
          whole.length() == size);
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int at = 0;
    while (true) {
      int lineEnd = rest.indexOf("\r\n", at);
      if (lineEnd < 0) {
        return new Response(status, body.toString(StandardCharsets.UTF_8), false);
      }
      int size = Integer.parseInt(rest.substring(at, lineEnd).trim(), 16);
      if (size == 0) {
        return new Response(status, body.toString(StandardCharsets.UTF_8), true);
      }
      int start = lineEnd + 2;
      int end = Math.min(start + size, rest.length());
      body.write(rest.substring(start, end).getBytes(StandardCharsets.ISO_8859_1), 0, end - start);
      if (end < start + size) {
        return new Response(status, body.toString(StandardCharsets.UTF_8), false);
      }
      at = end + 2;
    }
  }
}
