package io.reliapi.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real Redis Cluster for tests: six {@code redis-server} processes on free loopback ports (three primaries,
 * three replicas), started and settled by {@link ClusterSetup}. A node that stops answering is declared failed
 * after {@link #NODE_TIMEOUT_MS}, so its replica takes over within a few seconds; a cluster missing one
 * primary keeps serving the slots of the others ({@code cluster-require-full-coverage no}).
 */
public final class RedisCluster implements AutoCloseable {
  public static final long NODE_TIMEOUT_MS = 1_000;

  private final List<RedisNode> nodes;

  private RedisCluster(List<RedisNode> nodes) {
    this.nodes = nodes;
  }

  public static RedisCluster start() {
    return start(null);
  }

  /**
   * Starts a cluster locked down by {@code security} (see {@link RedisTlsAcl}; with {@code tls-cluster yes},
   * so the cluster bus and {@code CLUSTER SLOTS} use the TLS ports), or an open one when it is null.
   */
  public static RedisCluster start(RedisTlsAcl security) {
    return new RedisCluster(ClusterSetup.start(security));
  }

  /** Returns the URL of every node, primaries and replicas, in the order they were started. */
  public List<String> urls() {
    return nodes.stream().map(RedisNode::url).toList();
  }

  /**
   * Returns every node's URL as a YAML flow list, starting at node {@code first} (so gateway instances can
   * know the nodes in different orders, and their completion channels listen on different nodes).
   */
  public String yamlUrls(int first) {
    List<String> urls = new ArrayList<>(urls());
    Collections.rotate(urls, -first);
    return "[" + String.join(", ", urls) + "]";
  }

  public List<RedisNode> nodes() {
    return nodes;
  }

  /** Returns the primary that holds {@code key}'s slot now. */
  public RedisNode primaryOf(String key) {
    RedisNode asked = anyLive();
    int slot = Integer.parseInt(asked.command("CLUSTER KEYSLOT " + key).substring(1));
    for (ClusterNodeLine line : ClusterSetup.topology(asked)) {
      if (line.primary() && line.serves(slot)) {
        return node(line.port());
      }
    }
    throw new IllegalStateException("no primary serves slot " + slot);
  }

  /**
   * Returns the replica of {@code primary}, as {@code primary} itself lists it (waiting, within the settling
   * bound, for a view that has caught up with the gossip).
   */
  public RedisNode replicaOf(RedisNode primary) {
    String id = id(primary);
    AtomicReference<RedisNode> replica = new AtomicReference<>();
    try {
      await().atMost(ClusterSetup.SETTLED_WITHIN).pollInterval(Duration.ofMillis(100)).until(() -> {
        ClusterSetup.topology(primary).stream().filter(line -> !line.primary() && line.primaryId().equals(id)).findFirst()
            .ifPresent(line -> replica.set(node(line.port())));
        return replica.get() != null;
      });
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException("the primary on port " + primary.port() + " listed no replica of its own within "
          + ClusterSetup.SETTLED_WITHIN.toSeconds() + " s");
    }
    return replica.get();
  }

  /** Forgets everything stored, on every live primary. */
  public void flushAll() {
    primaries().forEach(node -> node.command("FLUSHALL"));
  }

  /** Returns how many keys match {@code pattern} over all live primaries ({@code KEYS}; for tests only). */
  public int keyCount(String pattern) {
    return primaries().stream().mapToInt(node -> node.keyCount(pattern)).sum();
  }

  private List<RedisNode> primaries() {
    return nodes.stream().filter(RedisNode::alive).filter(n -> n.info("replication", "role").equals("master")).toList();
  }

  /**
   * Moves the slot of {@code key}, with its keys, from its primary to another one, the way resharding does
   * ({@code CLUSTER SETSLOT ... IMPORTING/MIGRATING}, {@code MIGRATE}, {@code SETSLOT ... NODE} on every
   * primary); clients that knew the old layout then get {@code MOVED}. Returns the slot's new primary. Only
   * on an open cluster: the {@code MIGRATE} sent here carries no credentials.
   */
  public RedisNode moveSlotOf(String key) {
    RedisNode from = primaryOf(key);
    RedisNode to = primaries().stream().filter(n -> n.port() != from.port()).findFirst().orElseThrow();
    String slot = from.command("CLUSTER KEYSLOT " + key).substring(1);
    String fromId = id(from);
    String toId = id(to);
    to.command("CLUSTER SETSLOT " + slot + " IMPORTING " + fromId);
    from.command("CLUSTER SETSLOT " + slot + " MIGRATING " + toId);
    for (String moving : from.command("CLUSTER GETKEYSINSLOT " + slot + " 1000").lines()
        .filter(line -> !line.startsWith("*") && !line.startsWith("$")).toList()) {
      from.command("MIGRATE 127.0.0.1 " + to.port() + " " + moving + " 0 5000");
    }
    for (RedisNode primary : primaries()) {
      primary.command("CLUSTER SETSLOT " + slot + " NODE " + toId);
    }
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
        .until(() -> primaryOf(key).port() == to.port());
    return to;
  }

  private static String id(RedisNode node) {
    String reply = node.command("CLUSTER MYID");
    return reply.substring(reply.indexOf('\n') + 1).strip();
  }

  /** Sends one command to the primary of {@code key}'s slot. */
  public String commandFor(String key, String inline) {
    return primaryOf(key).command(inline);
  }

  /** Waits until {@code replica} has taken its failed primary's place and the cluster serves every slot again. */
  public void awaitPromoted(RedisNode replica, Duration atMost) {
    await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() ->
        replica.info("replication", "role").equals("master")
            && nodes.stream().filter(RedisNode::alive).allMatch(n -> n.clusterInfo("cluster_state").equals("ok")));
  }

  private RedisNode anyLive() {
    return nodes.stream().filter(RedisNode::alive).findFirst().orElseThrow();
  }

  private RedisNode node(int port) {
    return nodes.stream().filter(n -> n.port() == port).findFirst().orElseThrow();
  }

  @Override
  public void close() {
    nodes.forEach(RedisNode::kill);
  }
}
