package io.reliapi.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code redis-server} for tests, on a free loopback port with its data in a temporary directory
 * (append-only file, fsync on every write), so it can be stopped and started again on the same port
 * without losing what was stored — the way a real outage and recovery look to the gateway. {@code DEBUG}
 * is enabled (Redis 7 refuses it by default), so a test can make Redis slow with {@code DEBUG SLEEP}.
 * Fails (never skips) when {@code redis-server} is missing: `.ci/run` and `bin/test` install it.
 */
public final class RedisServer implements AutoCloseable {
  private static final int MAJOR_VERSION = majorVersion();
  private final int port;
  private final Path dir;
  private Process process;

  private RedisServer(int port, Path dir) {
    this.port = port;
    this.dir = dir;
  }

  public static RedisServer start() {
    try {
      RedisServer server = new RedisServer(freePort(), Files.createTempDirectory("reliapi-redis"));
      server.startProcess();
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("cannot prepare a redis-server for the tests", e);
    }
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port + "/0";
  }

  /** Stops the server as an outage would (its data stays on disk for {@link #restart()}). */
  public void stop() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Starts the server again on the same port with the same data. */
  public void restart() {
    stop();
    startProcess();
  }

  /** Sends one command in Redis' inline form and returns the raw reply, e.g. {@code "+PONG"}. */
  public String command(String inline) {
    return command(port, inline);
  }

  /** Sends one command in Redis' inline form to the Redis on {@code port} and returns the raw reply. */
  public static String command(int port, String inline) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(2_000);
      socket.getOutputStream().write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
      return reply(socket.getInputStream());
    } catch (IOException e) {
      throw new IllegalStateException("redis command failed: " + inline, e);
    }
  }

  /** Reads one raw reply of a command from {@code in} (a whole bulk string; other replies as one read gives them). */
  static String reply(InputStream in) throws IOException {
    byte[] buffer = new byte[65536];
    int n = in.read(buffer);
    if (n <= 0) {
      return "";
    }
    // A bulk string may come in several reads: read until its announced length arrived.
    int lineEnd = indexOfCrLf(buffer, n);
    if (buffer[0] == '$' && lineEnd > 0) {
      int length = Integer.parseInt(new String(buffer, 1, lineEnd - 1, StandardCharsets.US_ASCII));
      while (length >= 0 && n < lineEnd + 2 + length && n < buffer.length) {
        int more = in.read(buffer, n, buffer.length - n);
        if (more <= 0) {
          break;
        }
        n += more;
      }
    }
    return new String(buffer, 0, n, StandardCharsets.UTF_8).strip();
  }

  private static int indexOfCrLf(byte[] buffer, int length) {
    for (int i = 0; i + 1 < length; i++) {
      if (buffer[i] == '\r' && buffer[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /**
   * Returns how many Lua scripts (EVAL, EVALSHA) Redis has run without error so far: a test awaits its count to know
   * that a script sent on another connection has landed (a NOSCRIPT answer, before the EVAL that follows, counts not).
   */
  public long scriptsRun() {
    Matcher stat = Pattern.compile("cmdstat_eval(?:sha)?:calls=(\\d+),.*?failed_calls=(\\d+)")
        .matcher(command("INFO commandstats"));
    long run = 0;
    while (stat.find()) {
      run += Long.parseLong(stat.group(1)) - Long.parseLong(stat.group(2));
    }
    return run;
  }

  /** Returns how many keys match {@code pattern} now ({@code KEYS}; for tests only). */
  public int keyCount(String pattern) {
    return keyCount(port, pattern);
  }

  /** Returns how many keys match {@code pattern} now in the Redis on {@code port}. */
  public static int keyCount(int port, String pattern) {
    return count(command(port, "KEYS " + pattern));
  }

  /** Returns the number of elements of an array reply, or 0 for any other reply. */
  static int count(String reply) {
    return reply.startsWith("*") ? Integer.parseInt(reply.substring(1, reply.indexOf('\r') < 0 ? reply.length()
        : reply.indexOf('\r'))) : 0;
  }

  /**
   * Sends {@code DEBUG SLEEP} for {@code seconds} without waiting for its answer, and returns once Redis
   * is asleep (a PING from another connection goes unanswered); the returned socket answers when Redis
   * wakes. Everything sent to Redis meanwhile waits, and runs after it wakes.
   */
  public Socket sleep(double seconds) {
    try {
      Socket sleeper = new Socket("127.0.0.1", port);
      sleeper.setSoTimeout((int) (seconds * 1000) + 10_000);
      sleeper.getOutputStream().write(("DEBUG SLEEP " + seconds + "\r\n").getBytes(StandardCharsets.UTF_8));
      long giveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (answersPingWithin(Duration.ofMillis(50))) {
        if (System.nanoTime() > giveUp) {
          sleeper.close();
          throw new IllegalStateException("redis did not go to sleep (is DEBUG enabled?)");
        }
      }
      return sleeper;
    } catch (IOException e) {
      throw new IllegalStateException("redis DEBUG SLEEP failed", e);
    }
  }

  /** Waits until the sleep started by {@link #sleep} is over. */
  public static void awaitWaking(Socket sleeper) {
    try (sleeper) {
      byte[] answer = new byte[64];
      if (sleeper.getInputStream().read(answer) <= 0) {
        throw new IllegalStateException("redis closed the connection of DEBUG SLEEP");
      }
    } catch (IOException e) {
      throw new IllegalStateException("redis did not wake from DEBUG SLEEP", e);
    }
  }

  private boolean answersPingWithin(Duration limit) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout((int) limit.toMillis());
      socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.UTF_8));
      return socket.getInputStream().read(new byte[16]) > 0;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  private void startProcess() {
    List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
        "--bind", "127.0.0.1", "--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always",
        "--save", "", "--protected-mode", "no", "--loglevel", "warning"));
    if (MAJOR_VERSION >= 7) {
      command.addAll(List.of("--enable-debug-command", "yes"));
    }
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(dir.resolve("redis.log").toFile()).start();
    } catch (IOException e) {
      throw new IllegalStateException("redis-server is required for these tests and could not be started "
          + "(install it: apt-get install redis-server)", e);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      if (pong()) {
        return;
      }
      if (!process.isAlive()) {
        break;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new IllegalStateException("redis-server did not start on port " + port);
  }

  private boolean pong() {
    try {
      return command("PING").equals("+PONG");
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /** Returns the major version of the installed redis-server (its option set depends on it), or 0. */
  private static int majorVersion() {
    try {
      Process version = new ProcessBuilder("redis-server", "--version").redirectErrorStream(true).start();
      String text = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      version.waitFor(10, TimeUnit.SECONDS);
      Matcher v = Pattern.compile("v=(\\d+)\\.").matcher(text);
      return v.find() ? Integer.parseInt(v.group(1)) : 0;
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
