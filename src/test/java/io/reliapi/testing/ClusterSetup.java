package io.reliapi.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;

/**
 * How a {@link RedisCluster} comes up: its nodes started on free loopback ports, joined by
 * {@code redis-cli --cluster create}, and ready once every node says {@code cluster_state:ok}, every replica is in
 * sync and every node's {@code CLUSTER NODES} shows each primary with its replica (see {@link ClusterView}).
 */
final class ClusterSetup {
  private static final int NODES = 6;
  private static final int REPLICAS_EACH = 1;
  /** Settling takes well under a second on an idle machine; the bound is for two cores shared with other builds. */
  static final Duration SETTLED_WITHIN = Duration.ofSeconds(90);

  private ClusterSetup() {}

  /** Starts the nodes locked down by {@code security} (or open when it is null) and returns them once settled. */
  static List<RedisNode> start(RedisTlsAcl security) {
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
            "cluster-node-timeout " + RedisCluster.NODE_TIMEOUT_MS, "cluster-replica-validity-factor 0",
            "cluster-require-full-coverage no", "repl-diskless-sync-delay 0", "save \"\"", "appendonly no"));
        if (security != null) {
          lines.add("tls-cluster yes");
        }
        nodes.add(RedisNode.start(dir, free.get(i), lines, false, security));
      }
      create(nodes, security, dir);
      return nodes;
    } catch (IOException | RuntimeException e) {
      nodes.forEach(RedisNode::kill);
      throw new IllegalStateException("could not start a Redis Cluster for the tests", e);
    }
  }

  private static void create(List<RedisNode> nodes, RedisTlsAcl security, Path dir) throws IOException {
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
        Optional<String> missing = lacking(nodes);
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
  private static Optional<String> lacking(List<RedisNode> nodes) {
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

  /** Returns the cluster's nodes as {@code asked} sees them ({@code CLUSTER NODES}). */
  static List<ClusterNodeLine> topology(RedisNode asked) {
    String reply = asked.command("CLUSTER NODES");
    return reply.lines().skip(1).filter(line -> !line.isBlank()).map(ClusterNodeLine::parse).toList();
  }
}
