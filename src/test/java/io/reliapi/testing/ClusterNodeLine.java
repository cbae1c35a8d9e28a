package io.reliapi.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of {@code CLUSTER NODES}: {@code <id> <ip:port@bus> <flags> <primary id or -> <ping> <pong> <epoch>
 * <link> <slot ranges...>}.
 */
record ClusterNodeLine(String id, int port, List<String> flags, String primaryId, String link, List<int[]> ranges) {
  /** Flags of a node the asking node does not (yet, or any more) know as a working member. */
  private static final List<String> UNSETTLED = List.of("handshake", "noaddr", "fail?", "fail");

  static ClusterNodeLine parse(String line) {
    String[] parts = line.strip().split(" ");
    String address = parts[1];
    int port = Integer.parseInt(address.substring(address.lastIndexOf(':', address.indexOf('@')) + 1,
        address.indexOf('@')));
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
    return new ClusterNodeLine(parts[0], port, flags, parts[3], parts[7], ranges);
  }

  boolean primary() {
    return flags.contains("master");
  }

  boolean failed() {
    return flags.contains("fail");
  }

  /** The asking node knows this one as a working member: a known address, not failing, its link up. */
  boolean settled() {
    return flags.stream().noneMatch(UNSETTLED::contains) && link.equals("connected");
  }

  /** Says how the asking node sees this one, for a failure message. */
  String state() {
    return String.join(",", flags) + " " + link;
  }

  boolean serves(int slot) {
    return !failed() && ranges.stream().anyMatch(r -> slot >= r[0] && slot <= r[1]);
  }
}
