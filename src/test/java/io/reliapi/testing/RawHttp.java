package io.reliapi.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Sends hand-written HTTP/1.1 bytes, for requests no well-behaved client would send. */
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
}
