package io.reliapi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which listening hosts keep /metrics on this machine (no NO OPS KEY warning). */
class GatewayLoopbackTest {

  @Test
  void loopbackInEverySpelling() {
    for (String host : new String[] {"127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "localhost.", "::1", "[::1]",
        "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"}) {
      assertThat(Gateway.loopback(host)).as(host).isTrue();
    }
  }

  @Test
  void everythingElseReachesBeyond() {
    for (String host : new String[] {"0.0.0.0", "::", "::10", "10.0.0.1", "gateway.internal", "127.example.com",
        "[::]"}) {
      assertThat(Gateway.loopback(host)).as(host).isFalse();
    }
  }
}
