package io.reliapi.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A client of one {@link EveryRoute} call over a plain socket that hangs up when the test says: after its whole
 * request, or with its body only half sent; it may read part of the answer first.
 */
final class HangingClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();

  private HangingClient(int port, EveryRoute route, String target, boolean wholeBody, String... headers) {
    try {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(10_000);
      in = socket.getInputStream();
      byte[] body = route.body(target, false).getBytes(StandardCharsets.UTF_8);
      StringBuilder head = new StringBuilder("POST " + route.path(target) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Length: " + body.length + "\r\n");
      boolean typed = false;
      for (int i = 0; i + 1 < headers.length; i += 2) {
        head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        typed |= headers[i].equalsIgnoreCase("Content-Type");
      }
      if (!typed) {
        // One Content-Type line: the idempotency fingerprint counts every line, so a second would make a retry
        // with one line a different request.
        head.append("Content-Type: application/json\r\n");
      }
      socket.getOutputStream().write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().write(body, 0, wholeBody ? body.length : body.length / 2);
      socket.getOutputStream().flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends the whole request for the matrix target {@code target}, a JSON body, with {@code headers} besides. */
  static HangingClient send(int port, EveryRoute route, String target, String... headers) {
    return new HangingClient(port, route, target, true, headers);
  }

  /** Sends the head, with {@code headers} besides, and half the body announced, and no more. */
  static HangingClient sendHalf(int port, EveryRoute route, String target, String... headers) {
    return new HangingClient(port, route, target, false, headers);
  }

  /** Reads until {@code text} has arrived (fails after 10 s of silence or at the end of the answer). */
  String readUntil(String text) {
    byte[] buffer = new byte[4096];
    try {
      while (!received.toString(StandardCharsets.UTF_8).contains(text)) {
        int n = in.read(buffer);
        if (n < 0) {
          throw new AssertionError("the answer ended before \"" + text + "\": " + received);
        }
        received.write(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return received.toString(StandardCharsets.UTF_8);
  }

  /** Hangs up. */
  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // A socket the server closed already is hung up as well.
    }
  }
}
