package io.reliapi.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, reading every byte until the server closes: shows exactly what went over the
 * wire, including whether a chunked body was properly ended (its zero-length last chunk) or cut off.
 */
public final class RawHttp {
  private RawHttp() {}

  /** The answer: status, body (de-chunked) and whether the chunked body ended with its last chunk. */
  public record Response(int status, String body, boolean complete) {}

  public static Response post(int port, String path, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: close\r\n"
          + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      return parse(readAll(socket.getInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
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

  private static Response parse(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int headEnd = text.indexOf("\r\n\r\n");
    int status = Integer.parseInt(text.substring(9, 12));
    String rest = text.substring(headEnd + 4);
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
