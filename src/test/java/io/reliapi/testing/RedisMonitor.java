package io.reliapi.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Watches every command a Redis runs ({@code MONITOR}), in the order it ran them. Commands a Lua script
 * runs are told apart (Redis marks them {@code [0 lua]}), so what is left is what clients sent: one line
 * per command, so a script is one however much it does. {@link #mark()} runs an {@code ECHO} of its own
 * and returns once the monitor saw it: everything Redis ran before it is then in {@link #since(String)}.
 */
public final class RedisMonitor implements AutoCloseable {
  private final Socket socket;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final int port;

  private RedisMonitor(int port) throws IOException {
    this.port = port;
    socket = new Socket("127.0.0.1", port);
    socket.getOutputStream().write("MONITOR\r\n".getBytes(StandardCharsets.UTF_8));
    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    Thread reader = new Thread(() -> {
      try {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          lines.add(line);
        }
      } catch (IOException closed) {
        // The monitor was closed.
      }
    }, "redis-monitor");
    reader.setDaemon(true);
    reader.start();
  }

  public static RedisMonitor on(int port) {
    try {
      RedisMonitor monitor = new RedisMonitor(port);
      monitor.mark();
      return monitor;
    } catch (IOException e) {
      throw new IllegalStateException("cannot monitor redis", e);
    }
  }

  /** Runs a marker command and returns its name once the monitor has seen it. */
  public String mark() {
    String marker = "mark-" + UUID.randomUUID();
    RedisServer.command(port, "ECHO " + marker);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
        .until(() -> lines.stream().anyMatch(line -> line.contains(marker)));
    return marker;
  }

  /** Returns how many commands Redis ran (a script's own ones too) whose line holds {@code text}. */
  public long ran(String text) {
    return lines.stream().filter(line -> line.contains(text)).count();
  }

  /** Returns the command names clients sent after {@code marker} (and before any later mark), in order. */
  public List<String> since(String marker) {
    List<String> out = new java.util.ArrayList<>();
    boolean after = false;
    for (String line : lines) {
      if (line.contains("\"ECHO\" \"mark-")) {
        if (after) {
          break;
        }
        after = line.contains(marker);
        continue;
      }
      if (after && !line.contains(" lua] ") && line.contains("] \"")) {
        int start = line.indexOf("] \"") + 3;
        out.add(line.substring(start, line.indexOf('"', start)).toUpperCase());
      }
    }
    return out;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closing is best effort.
    }
  }
}
