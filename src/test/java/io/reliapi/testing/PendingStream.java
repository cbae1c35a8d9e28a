package io.reliapi.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One streamed answer read as it arrives over a plain socket, so a test can look at what reached the client
 * while the gateway still waits (a keep-alive comment, the head), then read the rest until the connection ends.
 */
public final class PendingStream implements AutoCloseable {
  private final StreamRoute route;
  private final Socket socket;
  private final InputStream in;
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();

  /** Sends {@code json} to {@code path}; {@code headers} are more header names and values in turn. */
  PendingStream(StreamRoute route, int port, String path, String json, String... headers) {
    this(route, 0, port, path, json, headers);
  }

  /**
   * The same with the client's receive buffer set to {@code receiveBuffer} bytes before it connects (0: the system's),
   * so an answer it does not read backs up into the gateway soon.
   */
  PendingStream(StreamRoute route, int receiveBuffer, int port, String path, String json, String... headers) {
    this.route = route;
    try {
      socket = new Socket();
      if (receiveBuffer > 0) {
        socket.setReceiveBufferSize(receiveBuffer);
      }
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
      socket.setSoTimeout(10_000);
      in = socket.getInputStream();
      byte[] body = json.getBytes(StandardCharsets.UTF_8);
      OutputStream out = socket.getOutputStream();
      StringBuilder more = new StringBuilder();
      for (int i = 0; i + 1 < headers.length; i += 2) {
        more.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
      }
      out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + more
          + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads until {@code text} has arrived {@code times} times in all (the wait fails after 10 s of silence). */
  public String readUntil(String text, int times) {
    byte[] buffer = new byte[4096];
    try {
      while (count(received.toString(StandardCharsets.ISO_8859_1), text) < times) {
        int n = in.read(buffer);
        if (n < 0) {
          throw new AssertionError("the connection ended before \"" + text + "\" came " + times + " time(s): "
              + received.toString(StandardCharsets.UTF_8));
        }
        received.write(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return received.toString(StandardCharsets.UTF_8);
  }

  /** Reads whatever arrives within {@code span} (the connection staying open) and returns it. */
  public String readFor(java.time.Duration span) {
    byte[] buffer = new byte[4096];
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    try {
      socket.setSoTimeout((int) span.toMillis());
      int n = in.read(buffer);
      if (n > 0) {
        got.write(buffer, 0, n);
        received.write(buffer, 0, n);
      }
    } catch (java.net.SocketTimeoutException quiet) {
      // nothing came
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      try {
        socket.setSoTimeout(10_000);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return got.toString(StandardCharsets.UTF_8);
  }

  /** Reads the rest of the answer until the connection ends and returns what the client made of it all. */
  public StreamRoute.Streamed finish() {
    byte[] buffer = new byte[4096];
    try {
      for (int n; (n = in.read(buffer)) > 0; ) {
        received.write(buffer, 0, n);
      }
    } catch (IOException reset) {
      // A reset ends the answer like a close does; what arrived before it is kept.
    }
    return route.read(RawHttp.parse(received.toByteArray()));
  }

  private static int count(String in, String text) {
    int count = 0;
    for (int at = in.indexOf(text); at >= 0; at = in.indexOf(text, at + text.length())) {
      count++;
    }
    return count;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
