package io.reliapi.testing;

import java.util.List;
import java.util.Optional;

/**
 * Whether one node's {@code CLUSTER NODES} shows the cluster {@link RedisCluster} builds: every node known and
 * reachable, the primaries serving slots, each with its replicas. A node learns that another became a replica
 * only from that node's gossip, so right after {@code redis-cli --cluster create} a primary can already stream
 * to its replica and still list it as a primary without slots; on a loaded machine that lasts seconds.
 */
final class ClusterView {
  private ClusterView() {}

  /** Returns what {@code view} still lacks, or empty when it shows {@code nodes} nodes settled as wanted. */
  static Optional<String> lacking(List<ClusterNodeLine> view, int nodes, int replicasEach) {
    if (view.size() != nodes) {
      return Optional.of("knows " + view.size() + " of " + nodes + " nodes");
    }
    for (ClusterNodeLine line : view) {
      if (!line.settled()) {
        return Optional.of("sees the node on port " + line.port() + " as " + line.state());
      }
    }
    List<ClusterNodeLine> primaries = view.stream().filter(l -> l.primary() && !l.ranges().isEmpty()).toList();
    int wanted = nodes / (replicasEach + 1);
    if (primaries.size() != wanted) {
      return Optional.of("sees " + primaries.size() + " of " + wanted + " primaries serving slots");
    }
    for (ClusterNodeLine primary : primaries) {
      long replicas = view.stream().filter(l -> !l.primary() && l.primaryId().equals(primary.id())).count();
      if (replicas != replicasEach) {
        return Optional.of("sees the primary on port " + primary.port() + " with " + replicas + " of "
            + replicasEach + " replicas");
      }
    }
    return Optional.empty();
  }
}
