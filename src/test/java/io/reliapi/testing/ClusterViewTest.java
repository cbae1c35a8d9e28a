package io.reliapi.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterViewTest {
  private static final String A = "a".repeat(40);
  private static final String B = "b".repeat(40);
  private static final String C = "c".repeat(40);

  private static List<ClusterNodeLine> view(String nodes) {
    return nodes.lines().filter(line -> !line.isBlank()).map(ClusterNodeLine::parse).toList();
  }

  private static String line(String id, int port, String flags, String primary, String link, String slots) {
    return id + " 127.0.0.1:" + port + "@" + (port + 10_000) + " " + flags + " " + primary + " 0 1796619472562 1 "
        + link + (slots.isEmpty() ? "" : " " + slots) + "\n";
  }

  private static String settled() {
    return line(A, 7001, "myself,master", "-", "connected", "0-5460")
        + line(B, 7002, "master", "-", "connected", "5461-10922")
        + line(C, 7003, "master", "-", "connected", "10923-16383")
        + line("d".repeat(40), 7004, "slave", A, "connected", "")
        + line("e".repeat(40), 7005, "slave", B, "connected", "")
        + line("f".repeat(40), 7006, "slave", C, "connected", "");
  }

  @Test
  void aViewWithEveryPrimaryAndItsReplicaConnectedLacksNothing() {
    assertThat(ClusterView.lacking(view(settled()), 6, 1)).isEmpty();
  }

  @Test
  void aPrimaryThatStillListsItsNewReplicaAsAPrimaryWithoutSlotsIsNotSettled() {
    // What the primary on 7002 answered when ClusterFailoverTest saw "has no replica": the replica's gossip
    // saying it now replicates 7002 had not reached it yet.
    String lagging = settled().replace(line("e".repeat(40), 7005, "slave", B, "connected", ""),
        line("e".repeat(40), 7005, "master", "-", "connected", ""));

    assertThat(ClusterView.lacking(view(lagging), 6, 1))
        .hasValue("sees the primary on port 7002 with 0 of 1 replicas");
  }

  @Test
  void aNodeStillInHandshakeOrSuspectedOrUnreachableIsNotSettled() {
    String handshake = settled().replace(line(C, 7003, "master", "-", "connected", "10923-16383"),
        line(C, 7003, "handshake", "-", "connected", ""));
    String suspected = settled().replace("slave " + B, "slave,fail? " + B);
    String unlinked = settled().replace(line(B, 7002, "master", "-", "connected", "5461-10922"),
        line(B, 7002, "master", "-", "disconnected", "5461-10922"));

    assertThat(ClusterView.lacking(view(handshake), 6, 1)).hasValue("sees the node on port 7003 as handshake connected");
    assertThat(ClusterView.lacking(view(suspected), 6, 1)).hasValue("sees the node on port 7005 as slave,fail? connected");
    assertThat(ClusterView.lacking(view(unlinked), 6, 1))
        .hasValue("sees the node on port 7002 as master disconnected");
  }

  @Test
  void aViewMissingANodeIsNotSettled() {
    String five = settled().lines().limit(5).map(l -> l + "\n").reduce("", String::concat);

    assertThat(ClusterView.lacking(view(five), 6, 1)).hasValue("knows 5 of 6 nodes");
  }

  @Test
  void readsThePortOfAnAddressWithAHostnameAndSkipsSlotsInMigration() {
    ClusterNodeLine parsed = ClusterNodeLine.parse(
        A + " 127.0.0.1:7001@17001,node-a myself,master - 0 0 1 connected 0-5460 [93->-" + B + "]");

    assertThat(parsed.port()).isEqualTo(7001);
    assertThat(parsed.serves(93)).isTrue();
    assertThat(parsed.settled()).isTrue();
  }
}
