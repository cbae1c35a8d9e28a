package io.reliapi.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A real primary with one replica, watched by three Sentinels (quorum 2) under the name {@link #MASTER_NAME},
 * all {@code redis-server} processes on free loopback ports. Ready once the replica is in sync and every
 * Sentinel knows the replica and the other two Sentinels. A primary that stops answering is judged down
 * after {@link #DOWN_AFTER_MS}, and the Sentinels promote the replica.
 */
public final class RedisSentinels implements AutoCloseable {
  public static final String MASTER_NAME = "reliapi-primary";
  public static final long DOWN_AFTER_MS = 1_000;

  private final RedisNode primary;
  private final RedisNode replica;
  private final List<RedisNode> sentinels;

  private RedisSentinels(RedisNode primary, RedisNode replica, List<RedisNode> sentinels) {
    this.primary = primary;
    this.replica = replica;
    this.sentinels = sentinels;
  }

  public static RedisSentinels start() {
    return start(null);
  }

  /**
   * Starts the primary, its replica and the Sentinels locked down by {@code security} (see
   * {@link RedisTlsAcl}: Sentinels too speak only TLS, to clients and among themselves, and let the gateway's
   * user ask only what the client library asks), or open when it is null.
   */
  public static RedisSentinels start(RedisTlsAcl security) {
    List<RedisNode> started = new ArrayList<>();
    try {
      Path dir = Files.createTempDirectory("reliapi-sentinel");
      List<String> data = List.of("save \"\"", "appendonly no", "repl-diskless-sync-delay 0");
      int primaryPort = FreePort.find();
      RedisNode primary = RedisNode.start(dir, primaryPort, with(security == null ? List.of()
          : security.dataNodeLines(primaryPort), data), false, security);
      started.add(primary);
      int replicaPort = FreePort.find();
      RedisNode replica = RedisNode.start(dir, replicaPort, with(security == null ? List.of()
          : security.dataNodeLines(replicaPort), with(data, List.of("replicaof 127.0.0.1 " + primary.port()))),
          false, security);
      started.add(replica);
      List<RedisNode> sentinels = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        int port = FreePort.find();
        RedisNode sentinel = RedisNode.start(dir, port, with(List.of(
            "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + primary.port() + " 2",
            "sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER_MS,
            "sentinel failover-timeout " + MASTER_NAME + " 3000"),
            security == null ? List.of() : security.sentinelLines(port, MASTER_NAME)), true, security);
        started.add(sentinel);
        sentinels.add(sentinel);
      }
      RedisSentinels group = new RedisSentinels(primary, replica, sentinels);
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(group::ready);
      return group;
    } catch (IOException | RuntimeException e) {
      started.forEach(RedisNode::kill);
      throw new IllegalStateException("could not start Redis Sentinels for the tests", e);
    }
  }

  private static List<String> with(List<String> first, List<String> then) {
    List<String> lines = new ArrayList<>(first);
    lines.addAll(then);
    return lines;
  }

  private boolean ready() {
    return replica.info("replication", "master_link_status").equals("up")
        && sentinels.stream().allMatch(s -> s.info("sentinel", "master0").contains("slaves=1,sentinels=3"));
  }

  /** Returns the URL of every Sentinel as a YAML flow list, starting at Sentinel {@code first}. */
  public String yamlUrls(int first) {
    List<String> urls = new ArrayList<>(sentinels.stream().map(RedisNode::url).toList());
    Collections.rotate(urls, -first);
    return "[" + String.join(", ", urls) + "]";
  }

  public RedisNode primary() {
    return primary;
  }

  public RedisNode replica() {
    return replica;
  }

  public List<RedisNode> sentinels() {
    return sentinels;
  }

  /** Waits until every Sentinel names the replica as the primary and the replica acts as one. */
  public void awaitPromoted(Duration atMost) {
    await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() ->
        replica.info("replication", "role").equals("master")
            && sentinels.stream().allMatch(s -> s.command("SENTINEL GET-MASTER-ADDR-BY-NAME " + MASTER_NAME)
                .contains(Integer.toString(replica.port()))));
  }

  @Override
  public void close() {
    sentinels.forEach(RedisNode::kill);
    replica.kill();
    primary.kill();
  }
}
