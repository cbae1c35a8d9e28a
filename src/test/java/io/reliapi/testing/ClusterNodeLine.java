package io.reliapi.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of {@code CLUSTER NODES}: {@code <id> <ip:port@bus> <flags> <primary id or -> <ping> <pong> <epoch>
 * <link> <slot ranges...>}.
 */
record ClusterNodeLine(String id, int port, boolean primary, boolean failed, String primaryId, List<int[]> ranges) {

  static ClusterNodeLine parse(String line) {
    String[] parts = line.strip().split(" ");
    String address = parts[1];
    int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1, address.indexOf('@')));
    List<String> flags = List.of(parts[2].split(","));
    List<int[]> ranges = new ArrayList<>();
    for (int i = 8; i < parts.length; i++) {
      if (parts[i].startsWith("[")) {
        continue;
      }
      String[] bounds = parts[i].split("-");
      int from = Integer.parseInt(bounds[0]);
      ranges.add(new int[] {from, bounds.length > 1 ? Integer.parseInt(bounds[1]) : from});
    }
    return new ClusterNodeLine(parts[0], port, flags.contains("master"), flags.contains("fail"), parts[3], ranges);
  }

  boolean serves(int slot) {
    return !failed && ranges.stream().anyMatch(r -> slot >= r[0] && slot <= r[1]);
  }
}
