package io.reliapi.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An upstream on a raw socket that reads requests the way a strict HTTP/1.1 server would (a head, then a body
 * framed by {@code Content-Length} or chunked) and records each, with every byte each connection sent: no HTTP
 * library tidies what the gateway wrote. Every request is answered with {@code answer}.
 */
public final class RecordingUpstream implements AutoCloseable {
  /** One request as the upstream read it. */
  public record Request(String head, String body) {
    public List<String> headerLines(String name) {
      return head.lines().skip(1)
          .filter(l -> l.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ":"))
          .map(l -> l.substring(name.length() + 1).trim()).toList();
    }
  }

  private final ServerSocket server;
  private final String answer;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<ByteArrayOutputStream> connections = new CopyOnWriteArrayList<>();

  private RecordingUpstream(String answer) throws IOException {
    this.server = new ServerSocket(0);
    this.answer = answer;
    Thread accepter = new Thread(this::accept, "recording-upstream");
    accepter.setDaemon(true);
    accepter.start();
  }

  /** Starts an upstream answering every request with {@code answer}, a whole raw HTTP/1.1 response. */
  public static RecordingUpstream answering(String answer) {
    try {
      return new RecordingUpstream(answer);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  public List<Request> requests() {
    return requests;
  }

  /** Every byte each connection sent, in the order the connections came. */
  public List<String> rawConnections() {
    return connections.stream().map(b -> b.toString(StandardCharsets.ISO_8859_1)).toList();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread reader = new Thread(() -> serve(socket), "recording-upstream-conn");
        reader.setDaemon(true);
        reader.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    connections.add(raw);
    try (socket) {
      InputStream in = new TeeInput(socket.getInputStream(), raw);
      OutputStream out = socket.getOutputStream();
      while (true) {
        String head = line(in, true);
        if (head == null) {
          return;
        }
        String body = body(in, head);
        requests.add(new Request(head, body));
        out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      }
    } catch (IOException gone) {
      // The gateway closed or reset the connection: what it sent is recorded.
    }
  }

  private static String body(InputStream in, String head) throws IOException {
    Request request = new Request(head, "");
    if (request.headerLines("transfer-encoding").stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        String size = line(in, false);
        int length = Integer.parseInt(size.split(";")[0].trim(), 16);
        if (length == 0) {
          while (!line(in, false).isEmpty()) {
            // trailer fields
          }
          return body.toString(StandardCharsets.ISO_8859_1);
        }
        body.write(in.readNBytes(length));
        line(in, false);
      }
    }
    List<String> lengths = request.headerLines("content-length");
    int length = lengths.isEmpty() ? 0 : Integer.parseInt(lengths.get(0));
    return new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
  }

  /** Reads one CRLF line, or with {@code wholeHead} a head up to its empty line; null at the end of the stream. */
  private static String line(InputStream in, boolean wholeHead) throws IOException {
    StringBuilder text = new StringBuilder();
    String end = wholeHead ? "\r\n\r\n" : "\r\n";
    while (!text.toString().endsWith(end)) {
      int b = in.read();
      if (b < 0) {
        if (text.isEmpty()) {
          return null;
        }
        throw new IOException("cut inside a line");
      }
      text.append((char) b);
    }
    return text.substring(0, text.length() - end.length());
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // Already closed.
    }
  }

  private static final class TeeInput extends InputStream {
    private final InputStream in;
    private final ByteArrayOutputStream copy;

    TeeInput(InputStream in, ByteArrayOutputStream copy) {
      this.in = in;
      this.copy = copy;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        synchronized (copy) {
          copy.write(b);
        }
      }
      return b;
    }
  }
}
