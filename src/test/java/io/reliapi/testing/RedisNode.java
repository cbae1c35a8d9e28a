package io.reliapi.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One {@code redis-server} process of a multi-node fixture (a cluster node, a replica, a sentinel), started
 * from a config file written into its own directory, on a free loopback port. It can be killed the way a
 * crash kills it ({@code SIGKILL}): nothing is flushed, no one is told.
 */
public final class RedisNode implements AutoCloseable {
  private final int port;
  private final Path dir;
  private final Process process;
  private final RedisTlsAcl security;

  private RedisNode(int port, Path dir, Process process, RedisTlsAcl security) {
    this.port = port;
    this.dir = dir;
    this.process = process;
    this.security = security;
  }

  /**
   * Starts a node on {@code port} with {@code lines} of config (after the port, bind address and
   * directory), as a sentinel when {@code sentinel}; returns once it answers PING.
   */
  public static RedisNode start(Path parent, int port, List<String> lines, boolean sentinel) {
    return start(parent, port, lines, sentinel, null);
  }

  /**
   * Starts a node like {@link #start(Path, int, List, boolean)}, locked down by {@code security} when it is
   * not null: then {@code port} is its TLS port (it has no plain one; {@code lines} hold the node's lines of
   * {@code security}), and the test reaches it as {@code security}'s admin.
   */
  public static RedisNode start(Path parent, int port, List<String> lines, boolean sentinel, RedisTlsAcl security) {
    try {
      Path dir = Files.createDirectories(parent.resolve(Integer.toString(port)));
      List<String> config = new ArrayList<>(List.of("bind 127.0.0.1", "dir " + dir,
          "protected-mode no", "loglevel notice", "logfile " + dir.resolve("redis.log")));
      config.addAll(security == null ? List.of("port " + port) : List.of());
      config.addAll(lines);
      Path file = Files.write(dir.resolve("redis.conf"), config);
      List<String> command = new ArrayList<>(List.of("redis-server", file.toString()));
      if (sentinel) {
        command.add("--sentinel");
      }
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(dir.resolve("stdout.log").toFile()).start();
      RedisNode node = new RedisNode(port, dir, process, security);
      node.awaitPong();
      return node;
    } catch (IOException e) {
      throw new IllegalStateException("redis-server is required for these tests and could not be started "
          + "(install it: apt-get install redis-server)", e);
    }
  }

  public int port() {
    return port;
  }

  /** Returns the gateway's URL of this node ({@link RedisTlsAcl#url(int)} when it is locked down). */
  public String url() {
    return security == null ? "redis://127.0.0.1:" + port : RedisTlsAcl.url(port);
  }

  public Path dir() {
    return dir;
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** Sends one command in Redis' inline form and returns the raw reply. */
  public String command(String inline) {
    return security == null ? RedisServer.command(port, inline) : security.command(port, inline);
  }

  /** Returns one line per client connection ({@code CLIENT LIST}), the test's own included. */
  public List<String> clients() {
    return command("CLIENT LIST").lines().filter(line -> line.contains(" addr=")).toList();
  }

  /** Returns how many keys match {@code pattern} on this node ({@code KEYS}; for tests only). */
  public int keyCount(String pattern) {
    return RedisServer.count(command("KEYS " + pattern));
  }

  /** Returns the value of {@code field} in {@code INFO section}, or "" (also when the node does not answer). */
  public String info(String section, String field) {
    try {
      return field(command("INFO " + section), field);
    } catch (IllegalStateException gone) {
      return "";
    }
  }

  /** Returns the value of {@code field} in {@code CLUSTER INFO}, or "". */
  public String clusterInfo(String field) {
    try {
      return field(command("CLUSTER INFO"), field);
    } catch (IllegalStateException gone) {
      return "";
    }
  }

  private static String field(String reply, String field) {
    for (String line : reply.split("\r\n")) {
      if (line.startsWith(field + ":")) {
        return line.substring(field.length() + 1);
      }
    }
    return "";
  }

  /** Kills the process as a crash would ({@code SIGKILL}) and waits until it is gone. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void awaitPong() {
    try {
      Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
          .until(() -> !process.isAlive() || pong());
    } catch (ConditionTimeoutException e) {
      // Reported below.
    }
    if (!process.isAlive() || !pong()) {
      kill();
      throw new IllegalStateException("redis-server did not start on port " + port + " (see " + dir + ")");
    }
  }

  private boolean pong() {
    try {
      return command("PING").equals("+PONG");
    } catch (IllegalStateException notYet) {
      return false;
    }
  }

  @Override
  public void close() {
    kill();
  }
}
