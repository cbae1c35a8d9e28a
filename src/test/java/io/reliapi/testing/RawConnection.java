package io.reliapi.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/1.1 connection over a plain socket, kept open across requests: write raw bytes (a head that
 * announces more body than follows, a body trickled one byte at a time), read one answer, and tell whether
 * the server then closed the connection or left it open.
 */
public final class RawConnection implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private ScheduledExecutorService trickle;

  private RawConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
  }

  /** Connects; reads give up after {@code readTimeoutMs} of silence. */
  public static RawConnection open(int port, int readTimeoutMs) {
    try {
      Socket socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(readTimeoutMs);
      return new RawConnection(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Connects over TLS with {@code context} (a {@link TlsClient}'s) and finishes the handshake; reads give up after
   * {@code readTimeoutMs} of silence.
   */
  public static RawConnection openTls(int port, int readTimeoutMs, javax.net.ssl.SSLContext context) {
    try {
      javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
      socket.setSoTimeout(readTimeoutMs);
      socket.startHandshake();
      return new RawConnection(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public RawConnection write(String text) {
    return write(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  public synchronized RawConnection write(byte[] bytes) {
    try {
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sends {@code bytes} from a thread of its own, so a write more than the socket buffers hold cannot block the reads
   * that follow; a write the server ends (it closed, or reset the connection) just stops.
   */
  public RawConnection writeAside(byte[] bytes) {
    Thread.ofVirtual().start(() -> {
      try {
        write(bytes);
      } catch (UncheckedIOException ended) {
        // The server stopped reading: what was not sent is not wanted.
      }
    });
    return this;
  }

  /** Keeps sending one byte every {@code everyMs}, the way a slow client would, until the connection ends. */
  public RawConnection trickle(long everyMs) {
    trickle = Executors.newSingleThreadScheduledExecutor();
    trickle.scheduleAtFixedRate(() -> {
      try {
        write(new byte[] {'x'});
      } catch (UncheckedIOException closed) {
        trickle.shutdown();
      }
    }, everyMs, everyMs, TimeUnit.MILLISECONDS);
    return this;
  }

  /** One answer: status, head (lower-cased names) and body (by Content-Length). */
  public record Answer(int status, String head, String body) {
    public String header(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }
  }

  /** Reads one answer with a Content-Length body; fails when none arrives before the read timeout. */
  public Answer readAnswer() {
    return read(true);
  }

  /**
   * Reads the head of one answer to a {@code HEAD} request, whose Content-Length tells the length of a body that is
   * not sent: the answer's body is empty, and any bytes after the head are left for the next read.
   */
  public Answer readHead() {
    return read(false);
  }

  private Answer read(boolean withBody) {
    try {
      byte[] buffer = new byte[8192];
      while (true) {
        String text = pending.toString(StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd >= 0) {
          String head = text.substring(0, headEnd);
          int length = withBody ? contentLength(head) : 0;
          if (text.length() - headEnd - 4 >= length) {
            String body = text.substring(headEnd + 4, headEnd + 4 + length);
            byte[] rest = text.substring(headEnd + 4 + length).getBytes(StandardCharsets.ISO_8859_1);
            pending.reset();
            pending.write(rest);
            return new Answer(Integer.parseInt(head.substring(9, 12)), head,
                new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
          }
        }
        int n = in.read(buffer);
        if (n < 0) {
          throw new AssertionError("the connection closed before a whole answer arrived: " + text);
        }
        pending.write(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns true when the server closes the connection (before the read timeout), false when it stays open. */
  public boolean closedByServer() {
    return ending() != Ending.OPEN;
  }

  /**
   * Returns true when the connection ends in order (end of stream) before the read timeout, false when it stays open
   * or ends in a reset ({@code SocketException: Connection reset}), which can destroy an answer not yet read.
   */
  public boolean closedWithoutReset() {
    return ending() == Ending.END;
  }

  private enum Ending { END, RESET, OPEN }

  /** Reads (and keeps) whatever arrives until the connection ends or the read timeout passes. */
  private Ending ending() {
    try {
      byte[] buffer = new byte[8192];
      while (true) {
        int n = in.read(buffer);
        if (n < 0) {
          return Ending.END;
        }
        pending.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException open) {
      return Ending.OPEN;
    } catch (SocketException reset) {
      return Ending.RESET;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return Integer.parseInt(line.substring(15).trim());
      }
    }
    return 0;
  }

  @Override
  public void close() {
    if (trickle != null) {
      trickle.shutdownNow();
    }
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closing a socket that is gone already is fine.
    }
  }
}
