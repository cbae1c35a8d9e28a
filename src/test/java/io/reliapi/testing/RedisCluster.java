package io.reliapi.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real Redis Cluster for tests: six {@code redis-server} processes on free loopback ports (three primaries,
 * three replicas), joined by {@code redis-cli --cluster create}, ready once every node says
 * {@code cluster_state:ok}, every replica is in sync and every node's {@code CLUSTER NODES} shows each primary
 * with its replica (see {@link ClusterView}). A node that stops answering is declared failed
 * after {@link #NODE_TIMEOUT_MS}, so its replica takes over within a few seconds; a cluster missing one
 * primary keeps serving the slots of the others ({@code cluster-require-full-coverage no}).
 */
public final class RedisCluster implements AutoCloseable {
  public static final long NODE_TIMEOUT_MS = 1_000;
  private static final int NODES = 6;
  private static final int REPLICAS_EACH = 1;
  /** Settling takes well under a second on an idle machine; the bound is for two cores shared with other builds. */
  private static final Duration SETTLED_WITHIN = Duration.ofSeconds(90);

  private final List<RedisNode> nodes;
  private final RedisTlsAcl security;

  private RedisCluster(List<RedisNode> nodes, RedisTlsAcl security) {
    this.nodes = nodes;
    this.security = security;
  }

  public static RedisCluster start() {
    return start(null);
  }

  /**
   * Starts a cluster locked down by {@code security} (see {@link RedisTlsAcl}; with {@code tls-cluster yes},
   * so the cluster bus and {@code CLUSTER SLOTS} use the TLS ports), or an open one when it is null.
   */
  public static RedisCluster start(RedisTlsAcl security) {
    List<RedisNode> nodes = new ArrayList<>();
    try {
      Path dir = Files.createTempDirectory("reliapi-cluster");
      Set<Integer> ports = new HashSet<>();
      while (ports.size() < 2 * NODES) {
        ports.add(FreePort.find());
      }
      List<Integer> free = new ArrayList<>(ports);
      for (int i = 0; i < NODES; i++) {
        List<String> lines = new ArrayList<>(security == null ? List.of() : security.dataNodeLines(free.get(i)));
        lines.addAll(List.of("cluster-enabled yes",
            "cluster-config-file nodes.conf", "cluster-port " + free.get(NODES + i),
            "cluster-node-timeout " + NODE_TIMEOUT_MS, "cluster-replica-validity-factor 0",
            "cluster-require-full-coverage no", "repl-diskless-sync-delay 0", "save \"\"", "appendonly no"));
        if (security != null) {
          lines.add("tls-cluster yes");
        }
        nodes.add(RedisNode.start(dir, free.get(i), lines, false, security));
      }
      RedisCluster cluster = new RedisCluster(nodes, security);
      cluster.create(dir);
      return cluster;
    } catch (IOException | RuntimeException e) {
      nodes.forEach(RedisNode::kill);
      throw new IllegalStateException("could not start a Redis Cluster for the tests", e);
    }
  }

  private void create(Path dir) throws IOException {
    List<String> command = new ArrayList<>(List.of("redis-cli"));
    if (security != null) {
      command.addAll(security.cliOptions());
    }
    command.addAll(List.of("--cluster", "create"));
    nodes.forEach(node -> command.add("127.0.0.1:" + node.port()));
    command.addAll(List.of("--cluster-replicas", Integer.toString(REPLICAS_EACH), "--cluster-yes"));
    Process create = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("create.log").toFile()).start();
    try {
      if (!create.waitFor(60, TimeUnit.SECONDS) || create.exitValue() != 0) {
        create.destroyForcibly();
        throw new IllegalStateException("redis-cli --cluster create failed (see " + dir.resolve("create.log") + ")");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating the cluster", e);
    }
    AtomicReference<String> lacking = new AtomicReference<>("not asked yet");
    try {
      await().atMost(SETTLED_WITHIN).pollInterval(Duration.ofMillis(100)).until(() -> {
        Optional<String> missing = lacking();
        missing.ifPresent(lacking::set);
        return missing.isEmpty();
      });
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException("the cluster did not settle within " + SETTLED_WITHIN.toSeconds() + " s: "
          + lacking.get() + " (nodes' files under " + dir + ")");
    }
  }

  /**
   * Returns what the new cluster still lacks (a node not answering, not {@code cluster_state:ok}, a replica not
   * in sync, a primary without its replica, a node's view of the others not settled), or empty when it is ready.
   */
  private Optional<String> lacking() {
    for (RedisNode node : nodes) {
      try {
        String state = node.clusterInfo("cluster_state");
        if (state.isEmpty()) {
          return Optional.of("the node on port " + node.port() + " does not answer");
        }
        if (!state.equals("ok")) {
          return Optional.of("the node on port " + node.port() + " says cluster_state:" + state);
        }
        String role = node.info("replication", "role");
        if (role.equals("slave") && !node.info("replication", "master_link_status").equals("up")) {
          return Optional.of("the replica on port " + node.port() + " is not in sync with its primary");
        }
        if (role.equals("master") && node.info("replication", "connected_slaves").equals("0")) {
          return Optional.of("the primary on port " + node.port() + " has no replica connected");
        }
        Optional<String> view = ClusterView.lacking(topology(node), NODES, REPLICAS_EACH);
        if (view.isPresent()) {
          return Optional.of("the node on port " + node.port() + " " + view.get());
        }
      } catch (IllegalStateException notAnswering) {
        return Optional.of("the node on port " + node.port() + " does not answer");
      }
    }
    return Optional.empty();
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
    for (ClusterNodeLine line : topology(asked)) {
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
      await().atMost(SETTLED_WITHIN).pollInterval(Duration.ofMillis(100)).until(() -> {
        topology(primary).stream().filter(line -> !line.primary() && line.primaryId().equals(id)).findFirst()
            .ifPresent(line -> replica.set(node(line.port())));
        return replica.get() != null;
      });
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException("the primary on port " + primary.port() + " listed no replica of its own within "
          + SETTLED_WITHIN.toSeconds() + " s");
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

  private List<ClusterNodeLine> topology(RedisNode asked) {
    String reply = asked.command("CLUSTER NODES");
    return reply.lines().skip(1).filter(line -> !line.isBlank()).map(ClusterNodeLine::parse).toList();
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
